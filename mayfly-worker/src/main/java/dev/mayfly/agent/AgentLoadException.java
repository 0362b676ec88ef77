package dev.mayfly.agent;

/** An agent could not be created: its class, program or name is wrong. The message says which. */
public final class AgentLoadException extends Exception {

    public AgentLoadException(String message) {
        super(message);
    }

    public AgentLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
