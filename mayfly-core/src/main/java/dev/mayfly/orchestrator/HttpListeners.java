package dev.mayfly.orchestrator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The JDK's HTTP server as Mayfly's server and every supervisor's control endpoint use it: with
 * {@code TCP_NODELAY} on its connections. Without it, an answer written in more than one piece (a
 * stream's events, a chunked body's end) waits for the client's acknowledgement of the piece before,
 * which the client delays by up to 40 ms: a run handed to a server took 409 ms against 292 ms with it
 * (medians of 11, docs/benchmarks.md, "The command line"). A {@code -Dsun.net.httpserver.nodelay}
 * given on the command line still wins.
 */
public final class HttpListeners {

    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    private HttpListeners() {}

    /** A server bound to {@code address}, not started. */
    public static HttpServer create(InetSocketAddress address) throws IOException {
        // Read once, by the first server the JVM makes: it must be set before that.
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
        return HttpServer.create(address, 0);
    }
}
