package dev.mayfly.task;

import dev.mayfly.agent.AgentOutcome;
import java.util.Locale;

/** Why a task failed: exactly one of these is recorded with every failed task. */
public enum FailureReason {
    /** The agent threw, or exited non-zero. */
    ERROR,
    /** The worker's heap cap was reached. */
    OUT_OF_MEMORY,
    /** The worker died without a result: halt, signal, native crash. */
    CRASHED,
    /** The task ran past its timeout and was stopped. */
    TIMED_OUT,
    /**
     * The supervisor stopped, or died, while the task was queued or running; or the agent's command
     * died of SIGINT (Ctrl-C in its terminal).
     */
    INTERRUPTED;

    /** How a command that died of SIGINT, or exited as one that did, ends: 128 + the signal's number. */
    public static final int SIGINT_EXIT_STATUS = 130;

    /**
     * Why an agent that returned a failure failed: out of its memory; interrupted when it was a command
     * that died of SIGINT (Ctrl-C in a terminal reaches every process of the group, a worker's command
     * often before the supervisor's own stop says so); else an error.
     */
    public static FailureReason ofFailedAgent(AgentOutcome outcome) {
        if (outcome.outOfMemory()) {
            return OUT_OF_MEMORY;
        }
        return outcome.exitCode() != null && outcome.exitCode() == SIGINT_EXIT_STATUS ? INTERRUPTED : ERROR;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FailureReason fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
