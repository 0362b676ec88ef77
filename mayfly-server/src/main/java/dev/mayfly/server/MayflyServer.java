package dev.mayfly.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.mayfly.errors.MayflyException;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.orchestrator.HttpListeners;
import dev.mayfly.orchestrator.Listings;
import dev.mayfly.orchestrator.Orchestrator;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of {@code mayfly serve}: the API over one supervisor (an {@link Orchestrator}) on
 * the JDK's own HTTP server. That server needs no dependency and starts in milliseconds; JobRunr
 * serves its dashboard the same way. Every path but {@code /healthz} needs the bearer token.
 */
public final class MayflyServer implements AutoCloseable {

    /** Requests served at once; a long one (a followed log, events) holds a thread while it lasts. */
    private static final int HTTP_THREADS = 32;
    static final String OPENAPI = "/api/v1/openapi.json";

    private final HttpServer http;
    private final ExecutorService httpThreads;
    private final ExecutorService starter;
    private final ServerQueue queue;
    private final URI url;
    private final String token;
    private final Sessions sessions;

    private MayflyServer(HttpServer http, ExecutorService httpThreads, ExecutorService starter, ServerQueue queue, URI url,
            String token, Sessions sessions) {
        this.http = http;
        this.httpThreads = httpThreads;
        this.starter = starter;
        this.queue = queue;
        this.url = url;
        this.token = token;
        this.sessions = sessions;
    }

    /**
     * Listens on {@code address} (port 0 for any free one) and serves the API of {@code orchestrator}.
     *
     * @param token what every request but {@code /healthz} must bear ({@code Authorization: Bearer …})
     */
    public static MayflyServer start(Orchestrator orchestrator, InetSocketAddress address, String token,
            OrchestratorLog log, Clock clock) {
        HttpServer http;
        try {
            http = HttpListeners.create(address);
        } catch (IOException e) {
            throw new MayflyException("cannot listen on " + address.getHostString() + ":" + address.getPort() + ": "
                    + e.getMessage() + " (choose another with --port)", e);
        }
        ExecutorService httpThreads = Executors.newFixedThreadPool(HTTP_THREADS, daemons("mayfly-http-"));
        ExecutorService starter = Executors.newCachedThreadPool(daemons("mayfly-start-"));
        http.setExecutor(httpThreads);
        Sessions sessions = new Sessions(token);
        orchestrator.serving();
        ServerMetrics metrics = new ServerMetrics(orchestrator);
        http.createContext("/healthz", exchange -> {
            Map<String, Object> health = new LinkedHashMap<>();
            health.put("status", "ok");
            health.put("supervisorId", orchestrator.supervisorId());
            new HttpCall(exchange).json(200, health);
        });
        ServerQueue queue = new ServerQueue(orchestrator, starter, metrics::ended, log, clock);
        http.createContext(TasksApi.PREFIX, authorized(sessions, new TasksApi(orchestrator, queue, clock)));
        RunsApi runs = new RunsApi(orchestrator, queue, starter, log, clock);
        BatchesApi batches = new BatchesApi(orchestrator, starter, metrics::ended, log, clock);
        runs.takeUpLeftovers();
        batches.takeUpLeftovers();
        queue.everyBeat(runs::takeUpLeftovers);
        http.createContext(RunsApi.PREFIX, authorized(sessions, runs));
        http.createContext(BatchesApi.PREFIX, authorized(sessions, batches));
        http.createContext("/api/v1/nodes", authorized(sessions, exchange -> new HttpCall(exchange).json(200,
                Map.of("nodes", Listings.nodes(orchestrator.store(), clock.instant())))));
        Telemetry telemetry = new Telemetry(orchestrator);
        http.createContext("/api/v1/telemetry", authorized(sessions, exchange -> new HttpCall(exchange).json(200,
                telemetry.now())));
        byte[] openapi = resource("openapi.json");
        http.createContext(OPENAPI, authorized(sessions, exchange -> new HttpCall(exchange).send(200, "application/json",
                openapi)));
        http.createContext("/metrics", authorized(sessions, exchange -> new HttpCall(exchange).send(200,
                "text/plain; version=0.0.4; charset=utf-8", metrics.scrape().getBytes(StandardCharsets.UTF_8))));
        http.createContext("/", new Dashboard(sessions));
        http.start();
        InetSocketAddress bound = http.getAddress();
        String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getAddress().getHostAddress();
        URI url = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort());
        return new MayflyServer(http, httpThreads, starter, queue, url, token, sessions);
    }

    /**
     * A file the server serves, from the jar: the API's description (written by hand beside the code;
     * ServeProcessTest checks each path answers) and the dashboard's files.
     */
    static byte[] resource(String name) {
        try (InputStream in = MayflyServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new MayflyException(name + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new MayflyException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /** A new token: 32 random bytes, URL-safe. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public URI url() {
        return url;
    }

    public String token() {
        return token;
    }

    /** A link that logs one browser into the dashboard, once (as Jupyter prints one). */
    public URI oneTimeLogin() {
        return URI.create(url + "/login?code=" + sessions.oneTimeCode());
    }

    /**
     * Refuses, with 401, a request that bears neither the token (compared in constant time) nor a
     * dashboard session. A session's request that changes something must also carry {@code X-Mayfly}:
     * a page of another site cannot add that header without the server's leave, which it never gives.
     */
    private static HttpHandler authorized(Sessions sessions, HttpHandler handler) {
        return exchange -> {
            String given = exchange.getRequestHeaders().getFirst("Authorization");
            boolean bearer = given != null && given.startsWith("Bearer ") && sessions.tokenMatches(given.substring(7));
            boolean session = !bearer && sessions.valid(exchange.getRequestHeaders().getFirst("Cookie"))
                    && (exchange.getRequestMethod().equals("GET")
                            || exchange.getRequestHeaders().getFirst("X-Mayfly") != null);
            if (!bearer && !session) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                new HttpCall(exchange).error(401, "this needs 'Authorization: Bearer TOKEN'; the token is in "
                        + "$MAYFLY_HOME/server.json");
                return;
            }
            try {
                handler.handle(exchange);
            } catch (RuntimeException e) {
                answerFailure(exchange, e);
            }
        };
    }

    private static void answerFailure(HttpExchange exchange, RuntimeException e) throws IOException {
        new HttpCall(exchange).error(500, "Mayfly failed on this request: " + e);
    }

    static ThreadFactory daemons(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Stops listening at once; the orchestrator (its tasks) is closed by its owner. */
    @Override
    public void close() {
        queue.close();
        http.stop(0);
        httpThreads.shutdownNow();
        starter.shutdownNow();
    }
}
