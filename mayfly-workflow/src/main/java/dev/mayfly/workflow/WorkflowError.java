package dev.mayfly.workflow;

import dev.mayfly.errors.UsageException;

/** A workflow file that cannot be run: names the file, the line and what is wrong (exit status 2). */
public final class WorkflowError extends UsageException {

    public WorkflowError(String source, int line, String message) {
        super(source + (line > 0 ? ":" + line : "") + ": " + message);
    }
}
