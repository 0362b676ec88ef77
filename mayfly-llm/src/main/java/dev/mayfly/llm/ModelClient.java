package dev.mayfly.llm;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Sends requests to the model server: whole, or streamed so that the answer's text can be shown as
 * it arrives. Retries what a retry can change ({@link ModelFailure}), waiting longer each time, and
 * tells its caller about every request that failed, so that each one is an event of the task. When
 * it gives up, its {@link ModelServerException} names the server, what happened, the attempts made
 * and what to check.
 *
 * <p>LangChain4j's own retries are off ({@code maxRetries(0)} in {@link ChatModels}): they retried
 * errors that cannot change and left no trace of the requests that failed.
 */
final class ModelClient {

    /** Hears of each request that failed. */
    interface Failures {
        /**
         * @param attempt the request's number, from 1
         * @param retryIn how long until the next attempt, or null when there is none
         */
        void failed(int attempt, ModelFailure failure, long ms, Duration retryIn);
    }

    /** The longest wait between two attempts. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    /** How often a wait (for the next piece of a stream, before a retry) looks whether the task was stopped. */
    private static final long STOP_CHECK_MS = 200;

    private final LlmSettings settings;
    private final ChatModel model;
    private final StreamingChatModel streaming;
    private final StreamEnds streamEnds;
    private final Duration firstWait;
    private final BooleanSupplier stopped;

    /**
     * @param streaming the streaming client, or null to ask for whole answers
     * @param streamEnds the streaming client's HTTP client, which tells when a stream's connection ended
     * @param firstWait the wait before the second attempt; each later wait is twice the one before
     * @param stopped whether the task was asked to stop: a stream or a wait before a retry ends then
     */
    ModelClient(LlmSettings settings, ChatModel model, StreamingChatModel streaming, StreamEnds streamEnds,
            Duration firstWait, BooleanSupplier stopped) {
        this.settings = settings;
        this.model = model;
        this.streaming = streaming;
        this.streamEnds = streamEnds;
        this.firstWait = firstWait;
        this.stopped = stopped;
    }

    /** The server as a person would name it: its URL, or the hosted API. */
    String address() {
        return settings.baseUrl() != null ? settings.baseUrl()
                : settings.provider() == LlmSettings.Provider.ANTHROPIC ? "Anthropic's API" : "OpenAI's API";
    }

    /**
     * Sends {@code request} until it is answered or cannot be.
     *
     * @param partialText hears the answer's text as it arrives, when the client streams
     * @throws ModelServerException when no attempt was answered
     */
    ChatResponse chat(ChatRequest request, Consumer<String> partialText, Failures failures) {
        int attempts = settings.retries() + 1;
        long firstStart = System.nanoTime();
        Duration wait = firstWait;
        for (int attempt = 1; ; attempt++) {
            long start = System.nanoTime();
            try {
                return streaming == null ? model.chat(request) : stream(request, partialText);
            } catch (CancellationException e) {
                throw e;
            } catch (RuntimeException e) {
                ModelFailure failure = ModelFailure.of(e);
                boolean again = failure.retried() && attempt < attempts;
                failures.failed(attempt, failure, millisSince(start), again ? wait : null);
                if (!again) {
                    throw new ModelServerException(message(failure, attempt, millisSince(firstStart)), failure, e);
                }
                sleep(wait);
                wait = wait.multipliedBy(2).compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait.multipliedBy(2);
            }
        }
    }

    private ChatResponse stream(ChatRequest request, Consumer<String> partialText) {
        BlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
        streamEnds.whenEnded(() -> arrivals.add(STREAM_ENDED));
        streaming.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                arrivals.add(new Piece(text));
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                arrivals.add(response);
            }

            @Override
            public void onError(Throwable error) {
                arrivals.add(error);
            }
        });
        // The pieces are handed over here, on the task's own thread, so that what it prints goes to the task's log.
        long idleSince = System.nanoTime();
        while (true) {
            Object next;
            try {
                next = arrivals.poll(STOP_CHECK_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("the task was asked to stop");
            }
            if (next == null) {
                checkStopped();
                if (millisSince(idleSince) >= settings.requestTimeout().toMillis()) {
                    throw new dev.langchain4j.exception.TimeoutException("nothing arrived for "
                            + settings.requestTimeout().toSeconds() + " s");
                }
                continue;
            }
            idleSince = System.nanoTime();
            if (next instanceof Piece) {
                partialText.accept(((Piece) next).text());
            } else if (next == STREAM_ENDED || next instanceof ChatResponse && ((ChatResponse) next).finishReason() == null) {
                // The connection ended before the stream's last event (LangChain4j's OpenAI client then
                // completes what it has, without a finish reason): the server went away mid-answer.
                throw new UncheckedIOException(new IOException("the stream ended before the answer did"));
            } else if (next instanceof ChatResponse) {
                return (ChatResponse) next;
            } else {
                Throwable error = (Throwable) next;
                throw error instanceof RuntimeException ? (RuntimeException) error : new IllegalStateException(error);
            }
        }
    }

    private record Piece(String text) {}

    /** Put in a stream's queue when its connection has ended. */
    private static final Object STREAM_ENDED = new Object();

    /** One line: the server, what happened, the attempts, and what to check. */
    private String message(ModelFailure failure, int attempts, long ms) {
        String what = failure.kind() == ModelFailure.Kind.TIMED_OUT
                ? "did not answer within " + settings.requestTimeout().toSeconds() + " s (MAYFLY_LLM_REQUEST_TIMEOUT="
                        + settings.requestTimeout().toSeconds() + "s)"
                : failure.what();
        String tries = attempts > 1 ? ", " + attempts + " attempts over " + seconds(ms)
                : failure.retried() ? ", 1 attempt (MAYFLY_LLM_RETRIES=0)"
                : ", not retried (a retry would get the same answer)";
        return "the " + settings.provider().label() + " model server at " + address() + " " + what + tries + ": "
                + advice(failure);
    }

    private String advice(ModelFailure failure) {
        String addressSetting = settings.baseUrl() != null ? "MAYFLY_LLM_BASE_URL (or --param llm.base_url)"
                : "the network (or MAYFLY_LLM_BASE_URL, for another server)";
        switch (failure.kind()) {
            case UNREACHABLE:
                return settings.baseUrl() != null ? "check that it is running and that " + addressSetting
                        + " is its address" : "check this machine's network (or set MAYFLY_LLM_BASE_URL, for another server)";
            case TIMED_OUT:
                return "raise MAYFLY_LLM_REQUEST_TIMEOUT for a slow model or a long answer, or check that the server "
                        + "is not stuck";
            case DROPPED:
                return "the server may have crashed or restarted; its own log says why";
            case CONTEXT_EXCEEDED:
                return "set MAYFLY_LLM_CONTEXT_TOKENS to the server's context size or less (now "
                        + settings.contextTokens() + "), or give the server a larger context";
            default:
                break;
        }
        Integer status = failure.status();
        if (status != null && (status == 401 || status == 403)) {
            return "check the API key in " + settings.apiKeyVariable();
        }
        if (status != null && status == 404) {
            return "check the model's name (MAYFLY_LLM_MODEL=" + settings.model() + ") and that " + addressSetting
                    + " is the server's API address";
        }
        if (status != null && status == 429) {
            return "the server limits its requests: wait, or run fewer tasks against it at once";
        }
        return "the server's message says why; the task's log has each attempt";
    }

    static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private void sleep(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        try {
            for (long left = wait.toMillis(); left > 0; left = (end - System.nanoTime()) / 1_000_000) {
                checkStopped();
                Thread.sleep(Math.min(left, STOP_CHECK_MS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("the task was asked to stop");
        }
    }

    private void checkStopped() {
        if (stopped.getAsBoolean()) {
            throw new CancellationException("the task was asked to stop");
        }
    }
}
