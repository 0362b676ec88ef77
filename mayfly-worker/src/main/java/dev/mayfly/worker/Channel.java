package dev.mayfly.worker;

import dev.mayfly.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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
 */
public final class Channel implements Closeable {

    /** A message longer than this is a protocol error, not something to buffer without bound. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final SocketChannel socket;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final Object writeLock = new Object();

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

    /** Sends one message; safe to call from several threads. */
    public void send(String type, Map<String, ?> fields) throws IOException {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put(Messages.TYPE, type);
        message.putAll(fields);
        byte[] line = (Json.write(message) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(line);
        synchronized (writeLock) {
            while (buffer.hasRemaining()) {
                socket.write(buffer);
            }
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
        socket.close();
    }
}
