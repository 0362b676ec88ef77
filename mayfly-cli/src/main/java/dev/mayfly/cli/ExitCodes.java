package dev.mayfly.cli;

/** The exit statuses of {@code mayfly}: part of its stable contract. */
public final class ExitCodes {

    /** The task completed; validation passed. */
    public static final int OK = 0;
    /** The task failed, or a validation check failed, or Mayfly itself failed. */
    public static final int FAILED = 1;
    /** Bad input: a flag, an environment variable or a file that Mayfly cannot accept. */
    public static final int USAGE = 2;
    /** The task was interrupted (Ctrl-C). SIGTERM ends the JVM with 143, as any JVM does. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}

    /** A task's status: 0 when it completed, 130 when it was interrupted, else 1. */
    static int ofTask(boolean completed, boolean interrupted) {
        return completed ? OK : interrupted ? INTERRUPTED : FAILED;
    }
}
