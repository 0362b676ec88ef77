package dev.mayfly.client;

import dev.mayfly.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@link Mayfly} against a server's HTTP API ({@code mayfly serve}; docs/server.md). Thread-safe: one
 * client can serve a whole application.
 *
 * <p>It speaks HTTP through {@link HttpURLConnection}, which keeps connections alive itself. The JDK's
 * newer {@code java.net.http.HttpClient} sets up TLS and a selector thread when it is built, even for
 * plain HTTP: measured in a new JVM on the build machine, building it and a first request took about
 * 400 ms against 80 ms here, and a command that hands its work to a server is a new JVM every time.
 * For the same reason its JSON is {@link Json}'s, plain values read and written by hand: Jackson's
 * {@code ObjectMapper} cost such a JVM about 50 ms before its first request.
 */
public final class MayflyClient implements Mayfly {

    private static final String TASKS = "/api/v1/tasks";
    private static final String RUNS = "/api/v1/runs";
    private static final String BATCHES = "/api/v1/batches";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private final URI url;
    private final String token;

    private MayflyClient(URI url, String token) {
        this.url = url;
        this.token = token;
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
        try {
            return answer(open("/healthz", "GET", Duration.ofSeconds(2))).status() == 200;
        } catch (IOException e) {
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
        return send("GET", pathAndQuery, null, 200);
    }

    @Override
    public TaskView submit(TaskSubmission task) {
        return TaskView.of(send("POST", TASKS, task.fields(), 201));
    }

    @Override
    public TaskView task(String taskId) {
        return TaskView.of(send("GET", TASKS + "/" + taskId, null, 200));
    }

    @Override
    public TaskView follow(String taskId, Consumer<TaskEvent> listener) throws InterruptedException {
        HttpURLConnection connection;
        int status;
        try {
            // No answer timeout: a long task's stream is quiet but for the server's keep-alive comments.
            connection = open(TASKS + "/" + taskId + "/events", "GET", Duration.ZERO);
            connection.setRequestProperty("Accept", "text/event-stream");
            status = connection.getResponseCode();
        } catch (IOException e) {
            throw unreachable(e);
        }
        if (status != 200) {
            try {
                throw refusal(status, answer(connection, status).body());
            } catch (IOException e) {
                throw unreachable(e);
            }
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                StandardCharsets.UTF_8))) {
            if (ServerSentEvents.read(lines.lines().iterator(), listener)) {
                return task(taskId);
            }
        } catch (IOException | UncheckedIOException e) {
            // The connection broke mid-stream: said below, with the task as it is now if it can be read.
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("stopped following task " + taskId);
        }
        throw new MayflyClientException(0, "the server at " + url + " stopped sending task " + taskId
                + "'s events before it ended");
    }

    @Override
    public boolean cancel(String taskId) {
        return asked(TASKS + "/" + taskId + "/cancel");
    }

    /** A cancel request: true when it was taken (202), false when what it names had ended (409). */
    private boolean asked(String path) {
        Answer answer = exchange("POST", path, null);
        if (answer.status() == 202) {
            return true;
        }
        if (answer.status() == 409) {
            return false;
        }
        throw refusal(answer.status(), answer.body());
    }

    /**
     * Starts a workflow run: {@code workflow} (a workflow's name) or {@code yaml} (its text), with
     * {@code prompt}, and {@code params}, {@code complexity}, {@code workers}, {@code workDir} if wanted
     * (docs/server.md). Returns it as stored, its steps waiting.
     */
    public RunView startRun(Map<String, Object> fields) {
        return RunView.of(send("POST", RUNS, fields, 201));
    }

    /** The run as the store has it now, with its steps. */
    public RunView run(String runId) {
        return RunView.of(send("GET", RUNS + "/" + runId, null, 200));
    }

    /**
     * Takes up a run that did not complete (its steps that did not complete run again in the server),
     * optionally with a fixed workflow ({@code yaml}) and {@code workers}; returns it running again.
     */
    public RunView resumeRun(String runId, Map<String, Object> fields) {
        return RunView.of(send("POST", RUNS + "/" + runId + "/resume", fields, 202));
    }

    /** Takes up a batch that did not complete: its lines whose last task did not complete run again in the server. */
    public BatchView resumeBatch(String batchId) {
        return BatchView.of(send("POST", BATCHES + "/" + batchId + "/resume", null, 202));
    }

    /** Asks for the whole run to be cancelled (its running steps' trees stopped, nothing more started); false when it had ended. */
    public boolean cancelRun(String runId) {
        return asked(RUNS + "/" + runId + "/cancel");
    }

    /**
     * Submits a batch: each line a task's fields (as {@link TaskSubmission#fields()}); every line is
     * checked before anything is stored, and a bad one refuses the batch (400, naming its line).
     *
     * @param workDir the folder the agents work in, on the server's machine
     */
    public BatchView submitBatch(List<Map<String, Object>> lines, Path workDir) {
        Map<String, Object> body = Map.of("lines", lines, "workDir", workDir.toAbsolutePath().toString());
        return BatchView.of(send("POST", BATCHES, body, 201));
    }

    /** The batch as the store has it now, with each line's last task. */
    public BatchView batch(String batchId) {
        return BatchView.of(send("GET", BATCHES + "/" + batchId, null, 200));
    }

    /** Asks for the whole batch to be cancelled; false when it had ended. */
    public boolean cancelBatch(String batchId) {
        return asked(BATCHES + "/" + batchId + "/cancel");
    }

    /** Nothing to release: the JDK closes idle connections itself. */
    @Override
    public void close() {}

    /** One request's answer: its status and its body (the error body for a 4xx or 5xx). */
    private record Answer(int status, String body, String path) {}

    /** One request, its body ({@code fields} as JSON) if any; the answer's JSON object when its status is {@code expected}. */
    private Map<String, Object> send(String method, String path, Object fields, int expected) {
        Answer answer = exchange(method, path, fields);
        if (answer.status() != expected) {
            throw refusal(answer.status(), answer.body());
        }
        try {
            return Json.readObject(answer.body());
        } catch (IOException e) {
            throw new MayflyClientException(answer.status(), "the server at " + url + " answered " + answer.path()
                    + " with something that is not a JSON object: " + e.getMessage());
        }
    }

    private Answer exchange(String method, String path, Object fields) {
        try {
            HttpURLConnection connection = open(path, method, ANSWER_TIMEOUT);
            if (fields != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                try (OutputStream body = connection.getOutputStream()) {
                    body.write(write(fields));
                }
            } else if (method.equals("POST")) {
                connection.setFixedLengthStreamingMode(0);
                connection.setDoOutput(true);
                connection.getOutputStream().close();
            }
            return answer(connection);
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    /**
     * A connection to {@code path} with the token, which waits for the server at most {@code timeout}
     * to connect and to answer; zero waits for the answer as long as it takes.
     */
    private HttpURLConnection open(String path, String method, Duration timeout) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url + path).toURL().openConnection();
        connection.setRequestMethod(method);
        boolean bounded = !timeout.isZero() && timeout.compareTo(CONNECT_TIMEOUT) < 0;
        connection.setConnectTimeout((int) (bounded ? timeout : CONNECT_TIMEOUT).toMillis());
        connection.setReadTimeout((int) timeout.toMillis());
        connection.setRequestProperty("Authorization", "Bearer " + token);
        return connection;
    }

    private static Answer answer(HttpURLConnection connection) throws IOException {
        return answer(connection, connection.getResponseCode());
    }

    /** The body in full, from the error stream for a 4xx or 5xx; read to its end, the connection can be used again. */
    private static Answer answer(HttpURLConnection connection, int status) throws IOException {
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(status, body, connection.getURL().getPath());
        }
    }

    private MayflyClientException unreachable(IOException e) {
        return new MayflyClientException("cannot reach the server at " + url + ": "
                + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
    }

    /** The server's own message ({"error": "…"}), else its status and body. */
    private static MayflyClientException refusal(int status, String body) {
        try {
            Object message = Json.readObject(body).get("error");
            if (message != null) {
                return new MayflyClientException(status, message.toString());
            }
        } catch (IOException | RuntimeException e) {
            // Not the API's error object: said as it came.
        }
        return new MayflyClientException(status, "HTTP " + status + ": " + body);
    }

    private static byte[] write(Object value) {
        return Json.write(value).getBytes(StandardCharsets.UTF_8);
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
                return Json.readObject(data);
            } catch (IOException e) {
                return Map.of("text", data);
            }
        }
    }
}
