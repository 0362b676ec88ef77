package dev.mayfly.worker;

import dev.mayfly.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The line between a supervisor and one worker: JSON objects, one a line, over a Unix domain
 * socket. Each message has a {@code type}; see {@link Messages} for the vocabulary.
 *
 * <p>The channel is its own socket, not the worker's standard output, so nothing an agent (or the
 * JVM itself) prints can corrupt it. When either side dies the socket closes and the other side
 * reads end-of-stream at once, which is how a worker notices that its supervisor is gone.
 *
 * <p>One thread may read while others write: reads and writes use the socket directly (not
 * {@code Channels.newInputStream}, which would serialise them on one lock).
 *
 * <p>Writes happen on the channel's own writer thread. A socket channel is closed for good when a
 * thread is interrupted while it writes, and senders (an agent's progress report, a reporter being
 * stopped, a timer being shut down) may well be interrupted; the writer thread never is.
 */
public final class Channel implements Closeable {

    /** A message longer than this is a protocol error, not something to buffer without bound. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final SocketChannel socket;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mayfly-channel-writer");
        thread.setDaemon(true);
        return thread;
    });

    public Channel(SocketChannel socket) {
        this.socket = socket;
        readBuffer.flip();
    }

    /** Connects to a supervisor listening on {@code socketPath}. */
    public static Channel connect(Path socketPath) throws IOException {
        SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        socket.connect(UnixDomainSocketAddress.of(socketPath));
        return new Channel(socket);
    }

    /**
     * Sends one message and returns once it is written; safe to call from several threads, and
     * from a thread that is interrupted.
     */
    public void send(String type, Map<String, ?> fields) throws IOException {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put(Messages.TYPE, type);
        message.putAll(fields);
        ByteBuffer buffer = ByteBuffer.wrap((Json.write(message) + "\n").getBytes(StandardCharsets.UTF_8));
        CompletableFuture<Void> written = new CompletableFuture<>();
        try {
            writer.execute(() -> {
                try {
                    while (buffer.hasRemaining()) {
                        socket.write(buffer);
                    }
                    written.complete(null);
                } catch (IOException | RuntimeException e) {
                    written.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new ClosedChannelException();
        }
        try {
            written.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof IOException ? (IOException) e.getCause() : new IOException(e.getCause());
        }
    }

    /**
     * Reads the next message, waiting for it.
     *
     * @return the message, or null when the other side has closed the channel
     */
    public Map<String, Object> receive() throws IOException {
        while (true) {
            while (readBuffer.hasRemaining()) {
                byte b = readBuffer.get();
                if (b == '\n') {
                    String line = pending.toString(StandardCharsets.UTF_8);
                    pending.reset();
                    return Json.readObject(line);
                }
                pending.write(b);
            }
            if (pending.size() > MAX_MESSAGE_BYTES) {
                throw new IOException("a channel message is longer than " + MAX_MESSAGE_BYTES + " bytes");
            }
            readBuffer.clear();
            int read = socket.read(readBuffer);
            readBuffer.flip();
            if (read < 0) {
                return null;
            }
        }
    }

    @Override
    public void close() throws IOException {
        writer.shutdown();
        socket.close();
    }
}
