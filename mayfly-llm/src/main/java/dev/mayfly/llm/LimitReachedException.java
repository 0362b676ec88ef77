package dev.mayfly.llm;

/** The task used up one of its limits (steps, tokens, wall time); the message names the limit and its setting. */
public final class LimitReachedException extends Exception {

    private static final long serialVersionUID = 1L;

    public LimitReachedException(String message) {
        super(message);
    }
}
