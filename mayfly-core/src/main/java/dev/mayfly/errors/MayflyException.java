package dev.mayfly.errors;

/** The root of Mayfly's own unchecked exceptions: a program failure (exit status 1). */
public class MayflyException extends RuntimeException {

    public MayflyException(String message) {
        super(message);
    }

    public MayflyException(String message, Throwable cause) {
        super(message, cause);
    }
}
