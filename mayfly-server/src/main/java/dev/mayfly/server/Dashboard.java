package dev.mayfly.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The dashboard: its pages and assets, and how a browser logs in. The assets ship in the jar (uPlot
 * from its WebJar, the rest written here without a build step) and are read once at start. The page
 * calls the same API as everyone else, carrying its session cookie instead of the token.
 */
final class Dashboard implements HttpHandler {

    /** Served at /assets/NAME: the file in the jar, and its type. */
    private static final Map<String, Asset> ASSETS = Map.of(
            "dashboard.js", new Asset("dashboard/dashboard.js", "text/javascript; charset=utf-8"),
            "dashboard.css", new Asset("dashboard/dashboard.css", "text/css; charset=utf-8"),
            "uPlot.iife.min.js", new Asset("/META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
                    "text/javascript; charset=utf-8"),
            "uPlot.min.css", new Asset("/META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css", "text/css; charset=utf-8"));

    private record Asset(String resource, String type) {}

    private final Sessions sessions;
    private final Map<String, byte[]> loaded;
    private final byte[] index;
    private final String login;

    Dashboard(Sessions sessions) {
        this.sessions = sessions;
        this.loaded = ASSETS.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                entry -> MayflyServer.resource(entry.getValue().resource())));
        this.index = MayflyServer.resource("dashboard/index.html");
        this.login = new String(MayflyServer.resource("dashboard/login.html"), StandardCharsets.UTF_8);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        HttpCall call = new HttpCall(exchange);
        String path = call.path();
        if (path.startsWith("/assets/") && loaded.containsKey(path.substring(8)) && call.method().equals("GET")) {
            call.responseHeader("Cache-Control", "no-cache");
            call.send(200, ASSETS.get(path.substring(8)).type(), loaded.get(path.substring(8)));
        } else if (path.equals("/login") && call.method().equals("GET")) {
            enter(call, sessions.redeem(call.query().get("code")), "That login link was used already, or is not "
                    + "this server's.");
        } else if (path.equals("/login") && call.method().equals("POST")) {
            enter(call, sessions.login(call.formBody().get("token")), "That is not this server's token.");
        } else if (path.equals("/") && call.method().equals("GET")) {
            if (sessions.valid(call.header("Cookie"))) {
                call.send(200, "text/html; charset=utf-8", index);
            } else {
                loginPage(call, 200, "");
            }
        } else {
            call.error(404, "no " + path + " here (" + MayflyServer.OPENAPI + " lists the API; the dashboard is at /)");
        }
    }

    /** Into the dashboard with a new session, or back to the login page saying why not. */
    private void enter(HttpCall call, Optional<String> session, String refusal) throws IOException {
        if (session.isEmpty()) {
            loginPage(call, 403, refusal);
            return;
        }
        call.responseHeader("Set-Cookie", Sessions.setCookie(session.get()));
        call.responseHeader("Location", "/");
        call.send(303, "text/plain; charset=utf-8", new byte[0]);
    }

    private void loginPage(HttpCall call, int status, String message) throws IOException {
        call.send(status, "text/html; charset=utf-8", login.replace("{{message}}", message)
                .getBytes(StandardCharsets.UTF_8));
    }
}
