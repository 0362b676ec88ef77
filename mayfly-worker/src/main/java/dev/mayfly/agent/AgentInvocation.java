package dev.mayfly.agent;

import dev.mayfly.api.Agent;
import dev.mayfly.json.Json;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.function.LongSupplier;

/**
 * Creates an agent from its spec, runs it once, and says how it ended. Never throws. Its time is
 * read on the caller's clock, so that it agrees with the start and end the store records.
 */
public final class AgentInvocation {

    private AgentInvocation() {}

    public static AgentOutcome run(AgentSpec spec, RunningTask task, OutputStream log, Clock clock) {
        Instant start = clock.instant();
        LongSupplier elapsed = () -> Math.max(0, Duration.between(start, clock.instant()).toMillis());
        try {
            Agent agent = Agents.create(spec, log, task.launch(), task.streamFile());
            Object result = agent.run(task);
            // A command that succeeded exited with 0: its own exit code. A Java agent has none.
            Integer exitCode = spec.kind() == AgentSpec.Kind.COMMAND ? 0 : null;
            return new AgentOutcome(true, Json.write(result), null, null, false, exitCode, elapsed.getAsLong());
        } catch (CommandFailedException e) {
            return new AgentOutcome(false, null, e.getMessage(), e.getClass().getName(), e.outOfMemory(), e.exitCode(),
                    elapsed.getAsLong());
        } catch (OutOfMemoryError e) {
            // Only errors that Java code throws get here (direct buffers, huge arrays): the JVM's own
            // heap exhaustion ends the worker at once (ExitOnOutOfMemoryError).
            return new AgentOutcome(false, null, "out of memory: " + e.getMessage(), e.getClass().getName(),
                    true, null, elapsed.getAsLong());
        } catch (SessionRotatedException e) {
            return new AgentOutcome(false, null, e.getMessage(), e.getClass().getName(), false, e.exitCode(),
                    elapsed.getAsLong(), true);
        } catch (CancellationException e) {
            return failure(e.getMessage() == null ? "stopped" : e.getMessage(), e, elapsed);
        } catch (Exception | LinkageError | StackOverflowError | AssertionError e) {
            // The whole story goes to the task's log; its first line is the task's error.
            PrintStream trace = new PrintStream(log, true, StandardCharsets.UTF_8);
            synchronized (log) {
                trace.print("mayfly: the agent failed: ");
                e.printStackTrace(trace);
            }
            return failure(describe(e), e, elapsed);
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

    private static AgentOutcome failure(String message, Throwable e, LongSupplier elapsed) {
        return new AgentOutcome(false, null, message, e.getClass().getName(), false, null, elapsed.getAsLong());
    }
}
