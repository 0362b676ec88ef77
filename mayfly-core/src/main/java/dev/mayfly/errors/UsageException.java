package dev.mayfly.errors;

/**
 * The user gave a value Mayfly cannot accept: a flag, an environment variable, a file. Exit status
 * 2, and the message is one line that names the setting, the value and what is accepted.
 */
public class UsageException extends MayflyException {

    public UsageException(String message) {
        super(message);
    }

    /** The standard shape: {@code invalid MAYFLY_HEAP_MB 'abc': expected …}. */
    public static UsageException invalid(String setting, String value, String accepted) {
        return new UsageException("invalid " + setting + " '" + value + "': expected " + accepted);
    }
}
