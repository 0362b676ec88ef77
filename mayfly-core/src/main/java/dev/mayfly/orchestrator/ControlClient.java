package dev.mayfly.orchestrator;

import dev.mayfly.json.Json;
import dev.mayfly.store.ControlAddress;
import dev.mayfly.store.SupervisorRecord;
import dev.mayfly.store.TaskStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Calls a supervisor's {@link ControlEndpoint} from another process of its machine. Each call is
 * short and bounded ({@link #TIMEOUT}): a caller that gets no answer falls back on the store, which
 * the supervisor reads anyway.
 *
 * <p>On {@link HttpURLConnection}, not {@code java.net.http.HttpClient}: a command makes one call and
 * exits, and the older class is already loaded with the JDK's networking, where the client's start-up
 * (its selector thread and executor) would be paid for one request.
 */
public final class ControlClient {

    /** How long a call may take: the endpoint answers from memory, in milliseconds, when it is there. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private ControlClient() {}

    /** The supervisor's live figures ({@code GET /control/v1/supervisor}). */
    public static Map<String, Object> figures(ControlAddress control) throws IOException {
        return call(control, "GET", ControlEndpoint.SUPERVISOR);
    }

    /**
     * Tells a supervisor that a cancel request for its work is in the store, so that it carries it out
     * now rather than at its next look. Only a supervisor of this machine with an endpoint can be
     * told; the store holds the request either way, so this never fails.
     *
     * @return how the supervisor learns of the request, in words for the user
     */
    public static String tellCancel(TaskStore store, String supervisorId) {
        String nextLook = "it sees the request in the store within " + Orchestrator.CANCEL_LOOK.toMillis() + " ms";
        Optional<SupervisorRecord> owner = store.findSupervisor(supervisorId);
        if (owner.isEmpty() || !owner.get().host().equals(SupervisorLiveness.thisHost())) {
            return nextLook;
        }
        Optional<ControlAddress> control = store.findControl(supervisorId);
        if (control.isEmpty()) {
            return nextLook;
        }
        try {
            // Its answer (the tasks it is stopping) is not needed: the caller follows the work in the store.
            call(control.get(), "POST", ControlEndpoint.CANCELS);
            return "it was told through its control endpoint";
        } catch (IOException e) {
            return nextLook + " (its control endpoint at " + control.get().url() + " did not answer: " + e.getMessage() + ")";
        }
    }

    private static Map<String, Object> call(ControlAddress control, String method, String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(control.url() + path).toURL().openConnection();
        try {
            connection.setRequestMethod(method);
            connection.setConnectTimeout((int) TIMEOUT.toMillis());
            connection.setReadTimeout((int) TIMEOUT.toMillis());
            connection.setRequestProperty("Authorization", "Bearer " + control.token());
            if (method.equals("POST")) {
                connection.setDoOutput(true);
                connection.getOutputStream().close();
            }
            int status = connection.getResponseCode();
            InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
            String text = body == null ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
            if (status != 200) {
                throw new IOException("the control endpoint at " + control.url() + " answered " + status + ": " + text);
            }
            return Json.readObject(text);
        } finally {
            connection.disconnect();
        }
    }
}
