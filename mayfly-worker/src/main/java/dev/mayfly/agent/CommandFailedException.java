package dev.mayfly.agent;

import java.util.Optional;

/** A command agent's program ended with a non-zero exit code. */
public final class CommandFailedException extends Exception {

    private final int exitCode;
    private final String outputTail;
    private final boolean outOfMemory;

    /** @param nodeOptions the NODE_OPTIONS the program ran with, or null: named when its heap ran out */
    CommandFailedException(String program, int exitCode, String outputTail, String nodeOptions) {
        this(program, exitCode, outputTail, HeapExhaustion.in(outputTail), nodeOptions);
    }

    private CommandFailedException(String program, int exitCode, String outputTail, Optional<String> heapLine,
            String nodeOptions) {
        super(heapLine.map(line -> program + " ran out of its own heap (exit code " + exitCode
                + (nodeOptions == null ? "" : ", NODE_OPTIONS=" + nodeOptions) + "): " + line)
                .orElse(program + " exited with code " + exitCode + lastLine(outputTail)));
        this.exitCode = exitCode;
        this.outputTail = outputTail;
        this.outOfMemory = heapLine.isPresent();
    }

    private static String lastLine(String tail) {
        String trimmed = tail.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        return ": " + trimmed.substring(trimmed.lastIndexOf('\n') + 1);
    }

    public int exitCode() {
        return exitCode;
    }

    public String outputTail() {
        return outputTail;
    }

    /** Whether the program died of its own heap running out (its output says so). */
    public boolean outOfMemory() {
        return outOfMemory;
    }
}
