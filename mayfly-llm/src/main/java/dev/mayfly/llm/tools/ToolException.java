package dev.mayfly.llm.tools;

/** A tool call that cannot be done as asked; its message goes back to the model as the tool's result. */
public final class ToolException extends Exception {

    private static final long serialVersionUID = 1L;

    public ToolException(String message) {
        super(message);
    }
}
