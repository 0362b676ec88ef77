package dev.mayfly.orchestrator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mayfly.json.Json;
import dev.mayfly.store.ControlAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A supervisor's loopback control endpoint: the other processes of its machine ({@code mayfly
 * cancel}, {@code mayfly top}) ask it for what only it knows now, and tell it to act at once. Every
 * supervisor has one, a server or a standalone {@code run} or {@code batch}; its address and token
 * are recorded in the store ({@link ControlAddress}).
 *
 * <p>The store stays the record of every request: a cancel is stored first and only then is the
 * supervisor told to look, so nothing is lost when the endpoint does not answer (the supervisor
 * also looks at the store four times a second). Routes, each needing {@code Authorization: Bearer TOKEN}:
 * <ul>
 *   <li>{@code GET /control/v1/supervisor}: its live figures (pool, queue, heap, resident memory);
 *   <li>{@code POST /control/v1/cancels}: look at the store's cancel requests now; answers which
 *       tasks it is stopping.
 * </ul>
 *
 * <p>On the JDK's HTTP server, as {@code mayfly serve}: it opens on the supervisor's chores thread a second
 * after the supervisor's start ({@link Orchestrator#CONTROL_OPENING}), so a short run never opens one, and
 * serves on one daemon thread.
 */
public final class ControlEndpoint implements AutoCloseable {

    static final String SUPERVISOR = "/control/v1/supervisor";
    static final String CANCELS = "/control/v1/cancels";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the endpoint serves: the supervisor's own answers. */
    interface Supervising {
        /** Its figures now, as plain JSON values. */
        Map<String, Object> figures();

        /** Looks at the store's cancel requests now and starts stopping them; the tasks it is stopping. */
        List<String> lookForCancels();
    }

    private final HttpServer http;
    private final ExecutorService thread;
    private final ControlAddress address;

    private ControlEndpoint(HttpServer http, ExecutorService thread, ControlAddress address) {
        this.http = http;
        this.thread = thread;
        this.address = address;
    }

    /** Listens on a free port of the loopback address, with a new random token. */
    static ControlEndpoint open(Supervising supervising) throws IOException {
        HttpServer http = HttpListeners.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ExecutorService thread = Executors.newSingleThreadExecutor(work -> {
            Thread serving = new Thread(work, "mayfly-control");
            serving.setDaemon(true);
            return serving;
        });
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        http.setExecutor(thread);
        http.createContext("/", exchange -> serve(exchange, token, supervising));
        http.start();
        InetSocketAddress bound = http.getAddress();
        String url = "http://" + bound.getAddress().getHostAddress() + ":" + bound.getPort();
        return new ControlEndpoint(http, thread, new ControlAddress(url, token));
    }

    public ControlAddress address() {
        return address;
    }

    private record Reply(int status, Map<String, ?> body) {}

    private static void serve(HttpExchange exchange, String token, Supervising supervising) throws IOException {
        try (exchange) {
            Reply reply;
            try {
                reply = reply(exchange, token, supervising);
            } catch (RuntimeException e) {
                // Said to the caller, never thrown into the HTTP server's thread, which would drop the connection.
                reply = new Reply(500, Map.of("error", String.valueOf(e.getMessage())));
            }
            byte[] bytes = Json.write(reply.body()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Reply reply(HttpExchange exchange, String token, Supervising supervising) {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (!bears(exchange, token)) {
            return new Reply(401, Map.of("error", "this supervisor's control token is required "
                    + "(Authorization: Bearer TOKEN, as the store records it)"));
        }
        if (path.equals(SUPERVISOR) && method.equals("GET")) {
            return new Reply(200, supervising.figures());
        }
        if (path.equals(CANCELS) && method.equals("POST")) {
            return new Reply(200, Map.of("stopping", supervising.lookForCancels()));
        }
        if (path.equals(SUPERVISOR) || path.equals(CANCELS)) {
            return new Reply(405, Map.of("error", method + " is not accepted on " + path));
        }
        return new Reply(404, Map.of("error", "no " + path + ": this endpoint serves GET " + SUPERVISOR + " and POST "
                + CANCELS));
    }

    private static boolean bears(HttpExchange exchange, String token) {
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                ("Bearer " + token).getBytes(StandardCharsets.UTF_8));
    }

    /** Stops listening at once: an exchange under way is cut, and its caller falls back on the store. */
    @Override
    public void close() {
        http.stop(0);
        thread.shutdownNow();
    }
}
