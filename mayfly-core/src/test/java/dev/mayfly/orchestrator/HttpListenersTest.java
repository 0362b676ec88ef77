package dev.mayfly.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class HttpListenersTest {

    private static final String NO_DELAY = "sun.net.httpserver.nodelay";

    @Test
    void a_server_is_made_with_no_delay_unless_the_command_line_said_otherwise() throws Exception {
        String given = System.getProperty(NO_DELAY);
        try {
            System.clearProperty(NO_DELAY);
            HttpServer first = HttpListeners.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            first.stop(0);
            assertThat(System.getProperty(NO_DELAY)).isEqualTo("true");

            System.setProperty(NO_DELAY, "false");
            HttpServer second = HttpListeners.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            second.stop(0);
            assertThat(System.getProperty(NO_DELAY)).as("a value given on the command line is left").isEqualTo("false");
        } finally {
            if (given == null) {
                System.clearProperty(NO_DELAY);
            } else {
                System.setProperty(NO_DELAY, given);
            }
        }
    }
}
