package dev.mayfly.client;

/**
 * A request the server refused or could not be asked: {@link #status()} is the HTTP status (400 a
 * field is wrong, 401 the token, 404 no such task, 409 it had ended, 503 the store), or 0 when the
 * server could not be reached. The message is the server's own.
 */
public final class MayflyClientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public MayflyClientException(int status, String message) {
        super(message);
        this.status = status;
    }

    public MayflyClientException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public int status() {
        return status;
    }
}
