package dev.mayfly.supervisor;

import dev.mayfly.agent.AgentOutcome;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskOutcome;

/**
 * Decides how a worker's task ended, from what was seen. In this order:
 * <ol>
 *   <li>a successful result arrived: completed (even if a stop was asked for meanwhile);</li>
 *   <li>the supervisor stopped it: {@code timed_out}, {@code interrupted} or {@code out_of_memory},
 *       whatever the agent answered on its way out;</li>
 *   <li>a failed result arrived: {@code error} (or {@code out_of_memory} when the agent saw an
 *       OutOfMemoryError of its own);</li>
 *   <li>exit code 3 with no exit announced: {@code out_of_memory} (ExitOnOutOfMemoryError skips
 *       the shutdown hooks that announce a System.exit);</li>
 *   <li>an announced exit: {@code error} with the agent's exit code (it called System.exit);</li>
 *   <li>anything else: {@code crashed} (Runtime.halt, a signal, a native crash).</li>
 * </ol>
 *
 * <p>The exit code is the agent's own, or null when it has none: a command's, a {@code System.exit}
 * or {@code Runtime.halt} code; never the worker JVM's when the agent did not choose it (after a
 * result, whatever the JVM did on its way out; at heap exhaustion; when a signal ended it, which
 * the error names instead).
 */
final class ExitClassifier {

    private ExitClassifier() {}

    static TaskOutcome classify(ExitFacts facts) {
        AgentOutcome result = facts.result();
        if (result != null && (result.ok() || facts.stopReason() == null)) {
            long time = result.executionTimeMs();
            if (result.ok()) {
                return TaskOutcome.completed(result.exitCode(), time, facts.heapPeakMb(), facts.rssPeakMb(),
                        result.resultJson());
            }
            return failed(facts, FailureReason.ofFailedAgent(result), result.exitCode(), time, result.error());
        }
        if (facts.stopReason() != null) {
            String why = facts.stopWhy() != null ? facts.stopWhy()
                    : (facts.stopReason() == FailureReason.TIMED_OUT ? "the task ran past its timeout and was stopped"
                            : "the supervisor stopped while the task was running") + signal(facts.exitCode());
            return failed(facts, facts.stopReason(), null, facts.elapsedMs(), why);
        }
        if (!facts.exitAnnounced() && facts.exitCode() == WorkerLauncher.OUT_OF_MEMORY_EXIT_CODE) {
            // Out of heap means the heap reached its cap, whether or not a report saw it get there.
            return TaskOutcome.failed(FailureReason.OUT_OF_MEMORY, null, facts.elapsedMs(),
                    Math.max(facts.heapPeakMb(), facts.heapCapMb()), facts.rssPeakMb(),
                    "the worker ran out of heap (cap " + facts.heapCapMb() + " MB; the JVM exited with code "
                            + facts.exitCode() + ")" + detail(facts));
        }
        if (facts.exitAnnounced()) {
            return failed(facts, FailureReason.ERROR, facts.exitCode(), facts.elapsedMs(),
                    "the agent ended the worker with System.exit(" + facts.exitCode() + ") before returning a result");
        }
        String what = !facts.connected() ? "the worker JVM exited before it connected"
                : "the worker died without a result";
        return failed(facts, FailureReason.CRASHED, killedBySignal(facts.exitCode()) ? null : facts.exitCode(),
                facts.elapsedMs(), what + " (" + describeExit(facts.exitCode()) + ")" + detail(facts));
    }

    private static TaskOutcome failed(ExitFacts facts, FailureReason reason, Integer exitCode, long time, String error) {
        return TaskOutcome.failed(reason, exitCode, time, facts.heapPeakMb(), facts.rssPeakMb(), error);
    }

    private static String detail(ExitFacts facts) {
        return facts.lastOutputLine().isEmpty() ? "" : ": " + facts.lastOutputLine();
    }

    /** Exit codes above 128 are 128 + the signal that ended the process. */
    static boolean killedBySignal(int exitCode) {
        return exitCode > 128 && exitCode < 160;
    }

    /** {@code (the worker was killed: exit code 137, SIGKILL)} when a signal ended it, else nothing. */
    private static String signal(int exitCode) {
        return killedBySignal(exitCode) ? " (the worker was killed: " + describeExit(exitCode) + ")" : "";
    }

    static String describeExit(int exitCode) {
        if (killedBySignal(exitCode)) {
            int signal = exitCode - 128;
            String name = signal == 9 ? "SIGKILL" : signal == 15 ? "SIGTERM" : signal == 11 ? "SIGSEGV"
                    : signal == 6 ? "SIGABRT" : "signal " + signal;
            return "exit code " + exitCode + ", " + name;
        }
        return "exit code " + exitCode;
    }
}
