package dev.mayfly.supervisor;

import dev.mayfly.worker.Channel;
import dev.mayfly.worker.ChannelMessage;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The loopback port one worker connects back to, and the secret it must present there (written to
 * the worker's standard input, which neither other users nor the worker's agents can read).
 *
 * <p>Any local process can connect to a loopback port. So every connection is heard on a thread of
 * its own, and gets {@value #HELLO_DEADLINE_MS} ms to present the secret (a worker does so as soon
 * as it has connected): one that connects and says nothing cannot hold up the worker, which is
 * accepted beside it.
 */
final class WorkerPort implements Closeable {

    static final int HELLO_DEADLINE_MS = 5_000;
    private static final SecureRandom SECRETS = new SecureRandom();

    private final ServerSocket server;
    private final String secret;
    private final Duration connectTimeout;
    private final CompletableFuture<Channel> worker = new CompletableFuture<>();

    WorkerPort(Duration connectTimeout) throws IOException {
        this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
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
        Thread acceptor = new Thread(() -> acceptAll(stranger), "mayfly-accept-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
        try {
            return worker.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            close();
        }
    }

    private void acceptAll(Runnable stranger) {
        try {
            while (!worker.isDone()) {
                Socket socket = server.accept();
                Thread hello = new Thread(() -> hear(socket, stranger), "mayfly-hello-" + port());
                hello.setDaemon(true);
                hello.start();
            }
        } catch (IOException e) {
            // The port was closed: the worker came, died, or did not come in time.
            worker.complete(null);
        }
    }

    /** Reads one connection's hello within the deadline: the worker's is the channel, any other is dropped. */
    private void hear(Socket socket, Runnable stranger) {
        try {
            socket.setSoTimeout(HELLO_DEADLINE_MS);
            Channel channel = new Channel(socket);
            ChannelMessage hello = channel.receive();
            if (hello instanceof ChannelMessage.Hello && secret.equals(((ChannelMessage.Hello) hello).secret())) {
                socket.setSoTimeout(0);
                if (worker.complete(channel)) {
                    return;
                }
            }
            stranger.run();
            channel.close();
        } catch (IOException e) {
            stranger.run();
            closeQuietly(socket);
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
