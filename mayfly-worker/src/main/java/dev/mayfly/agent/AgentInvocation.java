package dev.mayfly.agent;

import dev.mayfly.api.Agent;
import dev.mayfly.json.Json;
import java.io.OutputStream;
import java.util.concurrent.CancellationException;

/** Creates an agent from its spec, runs it once, and says how it ended. Never throws. */
public final class AgentInvocation {

    private AgentInvocation() {}

    public static AgentOutcome run(AgentSpec spec, RunningTask task, OutputStream log) {
        long start = System.nanoTime();
        try {
            Agent agent = Agents.create(spec, log, task.launch());
            Object result = agent.run(task);
            // A command that succeeded exited with 0: its own exit code. A Java agent has none.
            Integer exitCode = spec.kind() == AgentSpec.Kind.COMMAND ? 0 : null;
            return new AgentOutcome(true, Json.write(result), null, null, false, exitCode, millisSince(start));
        } catch (CommandFailedException e) {
            return new AgentOutcome(false, null, e.getMessage(), e.getClass().getName(), e.outOfMemory(), e.exitCode(),
                    millisSince(start));
        } catch (OutOfMemoryError e) {
            // Only errors that Java code throws get here (direct buffers, huge arrays): the JVM's own
            // heap exhaustion ends the worker at once (ExitOnOutOfMemoryError).
            return new AgentOutcome(false, null, "out of memory: " + e.getMessage(), e.getClass().getName(),
                    true, null, millisSince(start));
        } catch (CancellationException e) {
            return failure(e, null, start);
        } catch (Exception | LinkageError | StackOverflowError | AssertionError e) {
            return failure(e, null, start);
        }
    }

    private static AgentOutcome failure(Throwable e, Integer exitCode, long start) {
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return new AgentOutcome(false, null, message, e.getClass().getName(), false, exitCode, millisSince(start));
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
