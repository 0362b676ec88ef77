package dev.mayfly.agent;

/**
 * A command agent was stopped at Mayfly's request so that its session continues in a fresh process
 * (its memory had grown past the rotation threshold): not a failure, the task goes on.
 */
public final class SessionRotatedException extends RuntimeException {

    private final int exitCode;

    SessionRotatedException(String program, int exitCode) {
        super(program + " was stopped to continue its session in a fresh process");
        this.exitCode = exitCode;
    }

    /** How the program exited when it was stopped: 143 after SIGTERM, 137 when it had to be killed. */
    public int exitCode() {
        return exitCode;
    }
}
