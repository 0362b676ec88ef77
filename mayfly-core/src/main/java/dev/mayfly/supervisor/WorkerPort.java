package dev.mayfly.supervisor;

import dev.mayfly.worker.Channel;
import dev.mayfly.worker.Messages;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * The loopback port one worker connects back to, and the secret it must present there: the worker
 * gets the secret in its environment, which other users cannot read (unlike its command line).
 */
final class WorkerPort implements Closeable {

    private static final SecureRandom SECRETS = new SecureRandom();

    private final ServerSocket server;
    private final String secret;
    private final Duration connectTimeout;

    WorkerPort(Duration connectTimeout) throws IOException {
        this.server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        this.server.setSoTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        this.connectTimeout = connectTimeout;
        byte[] bytes = new byte[24];
        SECRETS.nextBytes(bytes);
        this.secret = HexFormat.of().formatHex(bytes);
    }

    int port() {
        return server.getLocalPort();
    }

    String secret() {
        return secret;
    }

    /**
     * Waits for the worker to connect and say hello with its secret. Anything else that connects
     * (another local process) is dropped, and {@code stranger} told. Null when the worker died (the
     * port was closed) or did not come within the connect timeout.
     */
    Channel accept(Runnable stranger) {
        while (true) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return null;
            }
            try {
                socket.setSoTimeout((int) connectTimeout.toMillis());
                Channel channel = new Channel(socket);
                Map<String, Object> hello = channel.receive();
                if (hello != null && Messages.HELLO.equals(hello.get(Messages.TYPE)) && secret.equals(hello.get("secret"))) {
                    socket.setSoTimeout(0);
                    return channel;
                }
                stranger.run();
                channel.close();
            } catch (IOException e) {
                closeQuietly(socket);
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(server);
    }

    static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // Already closed.
        }
    }
}
