package dev.mayfly.worker;

import dev.mayfly.json.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The line between a supervisor and one worker: JSON objects, one a line, over a loopback TCP
 * connection. Each message has a {@code type}; see {@link ChannelMessage} for the vocabulary.
 *
 * <p>The channel is its own socket, not the worker's standard output, so nothing an agent (or the
 * JVM itself) prints can corrupt it. When either side dies the socket closes and the other side
 * reads end-of-stream at once, which is how a worker notices that its supervisor is gone.
 *
 * <p>Why TCP and not a Unix domain socket: in a fresh JVM the first Unix socket costs about 14 ms
 * more (a service lookup for the selector provider and the set-up of SecureRandom), on every
 * worker's start (docs/benchmarks.md). The port is on the loopback address only, and a worker
 * proves itself with a secret it received in its environment.
 *
 * <p>One thread may read while others write. Socket streams are not closed by an interrupt, so a
 * sender that is interrupted (an agent reporting progress, a reporter being stopped) is harmless.
 */
public final class Channel implements Closeable {

    /** A message longer than this is a protocol error, not something to buffer without bound. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    public Channel(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

    /** Connects to a supervisor listening on {@code port} of the loopback address. */
    public static Channel connect(int port) throws IOException {
        return new Channel(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** Sends one message and returns once it is written; safe to call from several threads. */
    public void send(ChannelMessage sent) throws IOException {
        byte[] line = (written(sent) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            out.write(line);
            out.flush();
        }
    }

    /** A message as it goes over the channel, without its line's end. */
    static String written(ChannelMessage sent) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put(ChannelMessage.TYPE, sent.type());
        message.putAll(sent.fields());
        return Json.write(message);
    }

    /** A message read back from its line, as {@link #receive} reads it. */
    static ChannelMessage read(String line) throws IOException {
        return ChannelMessage.read(Json.readObject(line));
    }

    /**
     * Reads the next message, waiting for it.
     *
     * @return the message, or null when the other side has closed the channel
     */
    public ChannelMessage receive() throws IOException {
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String line = pending.toString(StandardCharsets.UTF_8);
                pending.reset();
                return read(line);
            }
            pending.write(b);
            if (pending.size() > MAX_MESSAGE_BYTES) {
                throw new IOException("a channel message is longer than " + MAX_MESSAGE_BYTES + " bytes");
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
