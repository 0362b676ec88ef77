package dev.mayfly.llm;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.time.Duration;

/**
 * The JDK's HTTP client for the streaming model clients, telling when a stream's connection has
 * ended. A server killed mid-answer ends the stream without its last event; LangChain4j's
 * Anthropic client then says nothing at all, and the agent would wait out the request timeout.
 * Told that the connection ended, {@link ModelClient} knows the answer will not come and tries again.
 *
 * <p>One model client sends one request at a time, so one hook at a time is enough.
 */
final class StreamEnds implements HttpClientBuilder {

    private final JdkHttpClientBuilder jdk = JdkHttpClient.builder();
    private volatile Runnable ended = () -> { };

    /** {@code ended} runs when the connection of the next stream has ended, after the client has read all of it. */
    void whenEnded(Runnable ended) {
        this.ended = ended;
    }

    @Override
    public Duration connectTimeout() {
        return jdk.connectTimeout();
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
        jdk.connectTimeout(timeout);
        return this;
    }

    @Override
    public Duration readTimeout() {
        return jdk.readTimeout();
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
        jdk.readTimeout(timeout);
        return this;
    }

    @Override
    public HttpClient build() {
        HttpClient client = jdk.build();
        return new HttpClient() {
            @Override
            public SuccessfulHttpResponse execute(HttpRequest request) {
                return client.execute(request);
            }

            @Override
            public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
                Runnable hook = ended;
                client.execute(request, parser, new ServerSentEventListener() {
                    @Override
                    public void onOpen(SuccessfulHttpResponse response) {
                        listener.onOpen(response);
                    }

                    @Override
                    public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
                        listener.onEvent(event, context);
                    }

                    @Override
                    public void onEvent(ServerSentEvent event) {
                        listener.onEvent(event);
                    }

                    @Override
                    public void onError(Throwable error) {
                        listener.onError(error);
                    }

                    @Override
                    public void onClose() {
                        listener.onClose();
                        hook.run();
                    }
                });
            }
        };
    }
}
