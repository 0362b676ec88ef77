package dev.mayfly.llm;

import dev.langchain4j.exception.HttpException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What went wrong with one request to the model server, read from whatever the client threw: what
 * happened in a person's words, the HTTP status and the server's own message when there was an
 * answer, and whether a retry can change it.
 *
 * <p>Only what can pass on a retry is retried: a refused or dropped connection, a timeout, and the
 * statuses servers use for "not now" (408, 429, 502, 503, 504, and Anthropic's 529). Anything else,
 * such as llama.cpp's 500 "tools param requires --jinja flag", fails at once with the server's words.
 */
record ModelFailure(Kind kind, Integer status, String serverMessage, String what) {

    /** What kind of failure, which decides the retry and the advice. */
    enum Kind { UNREACHABLE, TIMED_OUT, DROPPED, STATUS, CONTEXT_EXCEEDED, OTHER }

    private static final Set<Integer> RETRIED_STATUSES = Set.of(408, 429, 502, 503, 504, 529);

    /** How servers say a request is larger than their context (llama.cpp, vLLM, OpenAI, Anthropic, Ollama). */
    private static final Pattern CONTEXT_EXCEEDED = Pattern.compile(
            "context size|context length|context window|context_length_exceeded|exceed_context_size"
                    + "|prompt is too long|too many tokens|maximum context",
            Pattern.CASE_INSENSITIVE);
    /** llama.cpp's "(4096 tokens)" after "context size", or vLLM's/OpenAI's "maximum context length is 4096 tokens". */
    private static final Pattern CONTEXT_SIZE = Pattern.compile(
            "(?:context size \\((\\d+) tokens\\)|maximum context length is (\\d+))", Pattern.CASE_INSENSITIVE);

    boolean retried() {
        switch (kind) {
            case UNREACHABLE:
            case TIMED_OUT:
            case DROPPED:
                return true;
            case STATUS:
                return RETRIED_STATUSES.contains(status);
            default:
                return false;
        }
    }

    /** The server's context size when its message names it (llama.cpp and vLLM do), else null. */
    Integer contextSize() {
        if (serverMessage == null) {
            return null;
        }
        Matcher matcher = CONTEXT_SIZE.matcher(serverMessage);
        if (!matcher.find()) {
            return null;
        }
        return Integer.valueOf(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
    }

    static ModelFailure of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpException) {
                int status = ((HttpException) cause).statusCode();
                String message = serverMessage(cause.getMessage());
                Kind kind = status == 400 && message != null && CONTEXT_EXCEEDED.matcher(message).find()
                        ? Kind.CONTEXT_EXCEEDED : Kind.STATUS;
                return new ModelFailure(kind, status, message, "answered HTTP " + status
                        + (message == null ? "" : ": " + message));
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
                return new ModelFailure(Kind.UNREACHABLE, null, null, "could not be reached (" + describe(cause) + ")");
            }
            if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
                return new ModelFailure(Kind.UNREACHABLE, null, null, "has a host name that does not resolve ("
                        + describe(cause) + ")");
            }
            if (cause instanceof HttpTimeoutException || cause instanceof java.util.concurrent.TimeoutException
                    || cause instanceof dev.langchain4j.exception.TimeoutException) {
                return new ModelFailure(Kind.TIMED_OUT, null, null, "did not answer in time");
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return new ModelFailure(Kind.DROPPED, null, null, "closed the connection before it answered ("
                        + describe(cause) + ")");
            }
        }
        return new ModelFailure(Kind.OTHER, null, null, "failed: " + describe(failure));
    }

    /** The message inside an error body ({"error": {"message": …}}, OpenAI's and Anthropic's shape), else the body. */
    @SuppressWarnings("unchecked")
    static String serverMessage(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            Map<String, Object> json = JsonValues.readObject(body);
            Object error = json.get("error");
            if (error instanceof Map && ((Map<String, Object>) error).get("message") instanceof String) {
                return oneLine((String) ((Map<String, Object>) error).get("message"));
            }
            if (error instanceof String) {
                return oneLine((String) error);
            }
            if (json.get("message") instanceof String) {
                return oneLine((String) json.get("message"));
            }
        } catch (IOException | RuntimeException e) {
            // Not JSON: the body itself, below.
        }
        return oneLine(body);
    }

    private static String oneLine(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= 500 ? line : line.substring(0, 500) + "…";
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + oneLine(message));
    }

    /** The short name for events: {@code http_503}, {@code timed_out}. */
    String code() {
        return kind == Kind.STATUS || kind == Kind.CONTEXT_EXCEEDED ? "http_" + status : kind.name().toLowerCase(Locale.ROOT);
    }
}
