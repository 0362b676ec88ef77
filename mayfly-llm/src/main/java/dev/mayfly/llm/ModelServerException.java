package dev.mayfly.llm;

/** The model server could not answer a request, after every attempt that could change that. */
final class ModelServerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ModelFailure failure;

    ModelServerException(String message, ModelFailure failure, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    /** The last attempt's failure. */
    ModelFailure failure() {
        return failure;
    }
}
