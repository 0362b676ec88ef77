package dev.mayfly.agent;

import dev.mayfly.api.Agent;
import dev.mayfly.json.Json;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;

/** Creates an agent from its spec, runs it once, and says how it ended. Never throws. */
public final class AgentInvocation {

    private AgentInvocation() {}

    public static AgentOutcome run(AgentSpec spec, RunningTask task, OutputStream log) {
        long start = System.nanoTime();
        try {
            Agent agent = Agents.create(spec, log, task.launch(), task.streamFile());
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
        } catch (SessionRotatedException e) {
            return new AgentOutcome(false, null, e.getMessage(), e.getClass().getName(), false, e.exitCode(),
                    millisSince(start), true);
        } catch (CancellationException e) {
            return failure(e.getMessage() == null ? "stopped" : e.getMessage(), e, start);
        } catch (Exception | LinkageError | StackOverflowError | AssertionError e) {
            // The whole story goes to the task's log; its first line is the task's error.
            PrintStream trace = new PrintStream(log, true, StandardCharsets.UTF_8);
            synchronized (log) {
                trace.print("mayfly: the agent failed: ");
                e.printStackTrace(trace);
            }
            return failure(describe(e), e, start);
        }
    }

    /**
     * A failure in one line: Mayfly's own (an agent that cannot be loaded, the llm agent's limits)
     * in its words; any other with its class, as Java prints it ({@code java.lang.IllegalStateException:
     * boom}), since the class often says more than the message.
     */
    static String describe(Throwable e) {
        String type = e.getClass().getName();
        if (type.startsWith("dev.mayfly.") && e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getMessage() == null ? type : type + ": " + e.getMessage();
    }

    private static AgentOutcome failure(String message, Throwable e, long start) {
        return new AgentOutcome(false, null, message, e.getClass().getName(), false, null, millisSince(start));
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
