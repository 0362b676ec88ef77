package dev.mayfly.agent;

/** A command agent's program ended with a non-zero exit code. */
public final class CommandFailedException extends Exception {

    private final int exitCode;
    private final String outputTail;

    CommandFailedException(String program, int exitCode, String outputTail) {
        super(program + " exited with code " + exitCode + lastLine(outputTail));
        this.exitCode = exitCode;
        this.outputTail = outputTail;
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
}
