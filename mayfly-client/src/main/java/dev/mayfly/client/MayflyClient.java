package dev.mayfly.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@link Mayfly} against a server's HTTP API ({@code mayfly serve}; docs/server.md), with the JDK's own
 * HTTP client. Thread-safe: one client can serve a whole application.
 */
public final class MayflyClient implements Mayfly {

    /** Whole numbers as longs, as an embedded supervisor gives them: a result reads the same either way. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
    private static final String TASKS = "/api/v1/tasks";
    private static final String RUNS = "/api/v1/runs";
    private static final String BATCHES = "/api/v1/batches";

    private final URI url;
    private final String token;
    private final HttpClient http;

    private MayflyClient(URI url, String token) {
        this.url = url;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A client of the server at {@code url} (e.g. {@code http://127.0.0.1:8642}), bearing {@code token}. */
    public static MayflyClient connect(URI url, String token) {
        String text = url.toString();
        return new MayflyClient(URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text), token);
    }

    /** A client of the server of this {@code MAYFLY_HOME}, from its server.json. */
    public static MayflyClient forHome(Path home) {
        ServerFile file = ServerFile.read(home).filter(ServerFile::alive).orElseThrow(() -> new MayflyClientException(0,
                "no server runs for " + home + " (no live " + ServerFile.path(home) + "); start one with 'mayfly serve'"));
        return connect(URI.create(file.url()), file.token());
    }

    public URI url() {
        return url;
    }

    /** Whether the server answers its health check within two seconds. */
    public boolean healthy() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/healthz")).timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Any {@code GET} of the API as its JSON object, for what the typed views do not carry (a task's
     * events and memory samples, the lists of runs and batches).
     *
     * @param pathAndQuery such as {@code /api/v1/tasks/ID} or {@code /api/v1/runs?limit=10}
     * @throws MayflyClientException with the server's status and error when it does not answer 200
     */
    public Map<String, Object> get(String pathAndQuery) {
        return send(request(pathAndQuery).GET(), 200);
    }

    @Override
    public TaskView submit(TaskSubmission task) {
        return TaskView.of(send(request(TASKS).POST(HttpRequest.BodyPublishers.ofByteArray(write(task.fields())))
                .header("Content-Type", "application/json"), 201));
    }

    @Override
    public TaskView task(String taskId) {
        return TaskView.of(send(request(TASKS + "/" + taskId).GET(), 200));
    }

    @Override
    public TaskView follow(String taskId, Consumer<TaskEvent> listener) throws InterruptedException {
        HttpRequest request = request(TASKS + "/" + taskId + "/events").header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw unreachable(e);
        }
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() != 200) {
                throw refusal(response.statusCode(), String.join("\n", (Iterable<String>) lines::iterator));
            }
            if (ServerSentEvents.read(lines.iterator(), listener)) {
                return task(taskId);
            }
        } catch (UncheckedIOException e) {
            // The connection broke mid-stream: said below, with the task as it is now if it can be read.
        }
        throw new MayflyClientException(0, "the server at " + url + " stopped sending task " + taskId
                + "'s events before it ended");
    }

    @Override
    public boolean cancel(String taskId) {
        return asked(request(TASKS + "/" + taskId + "/cancel").POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** A cancel request: true when it was taken (202), false when what it names had ended (409). */
    private boolean asked(HttpRequest request) {
        HttpResponse<String> response = exchange(request);
        if (response.statusCode() == 202) {
            return true;
        }
        if (response.statusCode() == 409) {
            return false;
        }
        throw refusal(response.statusCode(), response.body());
    }

    /**
     * Starts a workflow run: {@code workflow} (a workflow's name) or {@code yaml} (its text), with
     * {@code prompt}, and {@code params}, {@code complexity}, {@code workers}, {@code workDir} if wanted
     * (docs/server.md). Returns it as stored, its steps waiting.
     */
    public RunView startRun(Map<String, Object> fields) {
        return RunView.of(send(request(RUNS).POST(HttpRequest.BodyPublishers.ofByteArray(write(fields)))
                .header("Content-Type", "application/json"), 201));
    }

    /** The run as the store has it now, with its steps. */
    public RunView run(String runId) {
        return RunView.of(send(request(RUNS + "/" + runId).GET(), 200));
    }

    /**
     * Takes up a run that did not complete (its steps that did not complete run again in the server),
     * optionally with a fixed workflow ({@code yaml}) and {@code workers}; returns it running again.
     */
    public RunView resumeRun(String runId, Map<String, Object> fields) {
        return RunView.of(send(request(RUNS + "/" + runId + "/resume").POST(HttpRequest.BodyPublishers.ofByteArray(
                write(fields))).header("Content-Type", "application/json"), 202));
    }

    /** Takes up a batch that did not complete: its lines whose last task did not complete run again in the server. */
    public BatchView resumeBatch(String batchId) {
        return BatchView.of(send(request(BATCHES + "/" + batchId + "/resume").POST(HttpRequest.BodyPublishers.noBody()), 202));
    }

    /** Asks for the whole run to be cancelled (its running steps' trees stopped, nothing more started); false when it had ended. */
    public boolean cancelRun(String runId) {
        return asked(request(RUNS + "/" + runId + "/cancel").POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /**
     * Submits a batch: each line a task's fields (as {@link TaskSubmission#fields()}); every line is
     * checked before anything is stored, and a bad one refuses the batch (400, naming its line).
     *
     * @param workDir the folder the agents work in, on the server's machine
     */
    public BatchView submitBatch(List<Map<String, Object>> lines, Path workDir) {
        Map<String, Object> body = Map.of("lines", lines, "workDir", workDir.toAbsolutePath().toString());
        return BatchView.of(send(request(BATCHES).POST(HttpRequest.BodyPublishers.ofByteArray(write(body)))
                .header("Content-Type", "application/json"), 201));
    }

    /** The batch as the store has it now, with each line's last task. */
    public BatchView batch(String batchId) {
        return BatchView.of(send(request(BATCHES + "/" + batchId).GET(), 200));
    }

    /** Asks for the whole batch to be cancelled; false when it had ended. */
    public boolean cancelBatch(String batchId) {
        return asked(request(BATCHES + "/" + batchId + "/cancel").POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Nothing to release: the JDK's client closes idle connections itself. */
    @Override
    public void close() {}

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token);
    }

    private Map<String, Object> send(HttpRequest.Builder request, int expected) {
        HttpResponse<String> response = exchange(request.timeout(Duration.ofSeconds(60)).build());
        if (response.statusCode() != expected) {
            throw refusal(response.statusCode(), response.body());
        }
        try {
            return JSON.readValue(response.body(), OBJECT);
        } catch (IOException e) {
            throw new MayflyClientException(response.statusCode(), "the server at " + url + " answered " + response.uri()
                    + " with something that is not a JSON object: " + e.getMessage());
        }
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MayflyClientException("interrupted while asking the server at " + url, e);
        }
    }

    private MayflyClientException unreachable(IOException e) {
        return new MayflyClientException("cannot reach the server at " + url + ": "
                + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
    }

    /** The server's own message ({"error": "…"}), else its status and body. */
    private static MayflyClientException refusal(int status, String body) {
        try {
            Object message = JSON.readValue(body, OBJECT).get("error");
            if (message != null) {
                return new MayflyClientException(status, message.toString());
            }
        } catch (IOException | RuntimeException e) {
            // Not the API's error object: said as it came.
        }
        return new MayflyClientException(status, "HTTP " + status + ": " + body);
    }

    private static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads Server-Sent Events (the parts of the format the server writes: id, event, data, comments). */
    static final class ServerSentEvents {

        private ServerSentEvents() {}

        /** Tells each event to the listener; true once the {@code end} event came, false if the lines ran out before. */
        static boolean read(Iterator<String> lines, Consumer<TaskEvent> listener) {
            String id = null;
            String type = "message";
            StringBuilder data = new StringBuilder();
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        TaskEvent event = new TaskEvent(id, type, parse(data.toString()));
                        listener.accept(event);
                        if (event.type().equals(TaskEvent.END)) {
                            return true;
                        }
                    }
                    id = null;
                    type = "message";
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = value(line);
                } else if (line.startsWith("event:")) {
                    type = value(line);
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(value(line));
                }
                // Anything else (": keep-alive") is a comment.
            }
            return false;
        }

        private static String value(String line) {
            String value = line.substring(line.indexOf(':') + 1);
            return value.startsWith(" ") ? value.substring(1) : value;
        }

        private static Map<String, Object> parse(String data) {
            try {
                return JSON.readValue(data, OBJECT);
            } catch (IOException e) {
                return Map.of("text", data);
            }
        }
    }
}
