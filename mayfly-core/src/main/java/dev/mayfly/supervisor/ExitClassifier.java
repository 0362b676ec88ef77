package dev.mayfly.supervisor;

import dev.mayfly.agent.AgentOutcome;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskOutcome;

/**
 * Decides how a worker's task ended, from what was seen. In this order:
 * <ol>
 *   <li>a successful result arrived: completed (even if a stop was asked for meanwhile);</li>
 *   <li>the supervisor stopped it: {@code timed_out} or {@code interrupted}, whatever the agent
 *       answered on its way out;</li>
 *   <li>a failed result arrived: {@code error} (or {@code out_of_memory} when the agent saw an
 *       OutOfMemoryError of its own);</li>
 *   <li>exit code 3 with no exit announced: {@code out_of_memory} (ExitOnOutOfMemoryError skips
 *       the shutdown hooks that announce a System.exit);</li>
 *   <li>an announced exit: {@code error} with the agent's exit code (it called System.exit);</li>
 *   <li>anything else: {@code crashed} (Runtime.halt, a signal, a native crash).</li>
 * </ol>
 */
final class ExitClassifier {

    private ExitClassifier() {}

    static TaskOutcome classify(ExitFacts facts) {
        AgentOutcome result = facts.result();
        if (result != null && (result.ok() || facts.stopReason() == null)) {
            long time = result.executionTimeMs();
            Integer exitCode = result.exitCode() != null ? result.exitCode() : facts.exitCode();
            if (result.ok()) {
                return TaskOutcome.completed(exitCode, time, facts.heapPeakMb(), facts.rssPeakMb(), result.resultJson());
            }
            FailureReason reason = result.outOfMemory() ? FailureReason.OUT_OF_MEMORY : FailureReason.ERROR;
            return failed(facts, reason, exitCode, time, result.error());
        }
        if (facts.stopReason() != null) {
            String why = facts.stopWhy() != null ? facts.stopWhy()
                    : facts.stopReason() == FailureReason.TIMED_OUT ? "the task ran past its timeout and was stopped"
                    : "the supervisor stopped while the task was running";
            return failed(facts, facts.stopReason(), facts.exitCode(), facts.elapsedMs(), why);
        }
        if (!facts.exitAnnounced() && facts.exitCode() == WorkerLauncher.OUT_OF_MEMORY_EXIT_CODE) {
            // Out of heap means the heap reached its cap, whether or not a report saw it get there.
            return TaskOutcome.failed(FailureReason.OUT_OF_MEMORY, facts.exitCode(), facts.elapsedMs(),
                    Math.max(facts.heapPeakMb(), facts.heapCapMb()), facts.rssPeakMb(),
                    "the worker ran out of heap (cap " + facts.heapCapMb() + " MB)" + detail(facts));
        }
        if (facts.exitAnnounced()) {
            return failed(facts, FailureReason.ERROR, facts.exitCode(), facts.elapsedMs(),
                    "the agent ended the worker with System.exit(" + facts.exitCode() + ") before returning a result");
        }
        String what = !facts.connected() ? "the worker JVM exited before it connected"
                : "the worker died without a result";
        return failed(facts, FailureReason.CRASHED, facts.exitCode(), facts.elapsedMs(),
                what + " (" + describeExit(facts.exitCode()) + ")" + detail(facts));
    }

    private static TaskOutcome failed(ExitFacts facts, FailureReason reason, Integer exitCode, long time, String error) {
        return TaskOutcome.failed(reason, exitCode, time, facts.heapPeakMb(), facts.rssPeakMb(), error);
    }

    private static String detail(ExitFacts facts) {
        return facts.lastOutputLine().isEmpty() ? "" : ": " + facts.lastOutputLine();
    }

    /** Exit codes above 128 are 128 + the signal that ended the process. */
    static String describeExit(int exitCode) {
        if (exitCode > 128 && exitCode < 160) {
            int signal = exitCode - 128;
            String name = signal == 9 ? "SIGKILL" : signal == 15 ? "SIGTERM" : signal == 11 ? "SIGSEGV"
                    : signal == 6 ? "SIGABRT" : "signal " + signal;
            return "exit code " + exitCode + ", " + name;
        }
        return "exit code " + exitCode;
    }
}
