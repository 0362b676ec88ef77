package dev.mayfly.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.mayfly.errors.MayflyException;
import dev.mayfly.errors.UsageException;
import dev.mayfly.orchestrator.ControlClient;
import dev.mayfly.store.TaskStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One of the API's resources ({@code /api/v1/tasks}, {@code /api/v1/runs}): its requests routed by
 * method and path, and Mayfly's refusals turned into answers the same way for all of them: bad input
 * is 400 with its one line, a refusal its own status, Mayfly unable to go on (the disk reserve) 503.
 */
abstract class ApiResource implements HttpHandler {

    private final String prefix;

    ApiResource(String prefix) {
        this.prefix = prefix;
    }

    /**
     * Answers the request, or returns false when no route of this resource takes it.
     *
     * @param parts the path's parts after the resource's prefix
     */
    abstract boolean route(HttpCall call, String method, List<String> parts) throws IOException;

    @Override
    public final void handle(HttpExchange exchange) throws IOException {
        HttpCall call = new HttpCall(exchange);
        List<String> parts = call.parts(prefix);
        try {
            if (!route(call, call.method(), parts)) {
                call.error(parts.size() <= 2 ? 405 : 404, call.method() + " " + exchange.getRequestURI().getPath()
                        + " is not part of the API (" + MayflyServer.OPENAPI + " lists it)");
            }
        } catch (HttpCall.Refusal e) {
            call.error(e.status, e.getMessage());
        } catch (UsageException e) {
            call.error(400, e.getMessage());
        } catch (MayflyException e) {
            call.error(503, e.getMessage());
        }
    }

    /** How a resource names what it cancels, in its answers: {@code task}, {@code taskId}, {@code state}. */
    record Kind(String name, String idField, String stateField) {}

    /**
     * A cancel request as the store took it: the state the work was in when asked, whether it had
     * ended already, and its supervisor, which is told.
     */
    record CancelAsked(String state, boolean ended, String supervisorId) {}

    /**
     * Answers a request to cancel a task, run or batch: 404 when there is none, 409 when it had ended,
     * else 202 (it ends a moment later, as its state then shows) once its supervisor has been told
     * through its control endpoint, when it can be.
     *
     * @param asked the request as stored; empty when there is no such task, run or batch
     */
    static void answerCancel(HttpCall call, Kind kind, String id, Optional<CancelAsked> asked, TaskStore store)
            throws IOException {
        if (asked.isEmpty()) {
            call.error(404, "no " + kind.name() + " '" + id + "'");
        } else if (asked.get().ended()) {
            call.error(409, kind.name() + " " + id + " had already ended: " + asked.get().state());
        } else {
            ControlClient.tellCancel(store, asked.get().supervisorId());
            call.json(202, Map.of(kind.idField(), id, kind.stateField(), asked.get().state(), "cancelRequested", true));
        }
    }
}
