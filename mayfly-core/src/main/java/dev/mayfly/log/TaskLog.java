package dev.mayfly.log;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task's log ({@code task.log}), at most {@code maxBytes} long: its first quarter (the head: how
 * the agent started) and its last three quarters (the tail: how it ended, where a failure shows)
 * are kept, with a line between them saying how much was cut.
 *
 * <p>The head is written to the log as it comes. Past it, output goes to a ring of the tail's size
 * in a file beside the log ({@code task.log.tail}), so that memory stays constant whatever the
 * agent prints; at {@link #close} the marker and the ring, in order, are appended to the log and
 * the ring file is removed. A task's next attempt opens the log again and carries on: what was
 * already past the head goes back into the ring, so the log stays within its cap over every
 * attempt. Cuts fall between characters, never inside a UTF-8 one.
 */
public final class TaskLog extends OutputStream {

    private static final String MARKER_START = "\n[… ";
    private static final Pattern MARKER = Pattern.compile("\n\\[… ([0-9]+) bytes cut here: [^\n]*…]\n");
    private static final int MARKER_MAX_BYTES = 256;
    /** The most bytes a head can end short of its size, to end with a whole character. */
    private static final int CHARACTER_MAX_BYTES = 4;

    private final Path file;
    private final Path ringFile;
    private final long maxBytes;
    private long headBytes;
    private final int tailBytes;
    private final OutputStream head;
    private long headWritten;
    private RandomAccessFile ring;
    private long ringWritten;
    private long cut;
    private boolean closed;

    private TaskLog(Path file, long maxBytes) throws IOException {
        this.file = file;
        this.ringFile = file.resolveSibling(file.getFileName() + ".tail");
        this.maxBytes = maxBytes;
        this.headBytes = maxBytes / 4;
        this.tailBytes = (int) Math.min(Integer.MAX_VALUE - 8, maxBytes - headBytes);
        long existing = Files.exists(file) ? Files.size(file) : 0;
        if (existing > headBytes) {
            reopenTail(existing);
        } else {
            headWritten = existing;
        }
        this.head = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Opens (or, for a task's next attempt, reopens) the log of at most {@code maxBytes}. */
    public static TaskLog open(Path file, long maxBytes) throws IOException {
        return new TaskLog(file, maxBytes);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("the task's log " + file + " is closed");
        }
        if (headWritten < headBytes) {
            int n = (int) Math.min(length, headBytes - headWritten);
            if (n < length) {
                // The head ends with a whole character; the room left for the rest of it stays unused.
                n = characterBoundary(bytes, offset, offset + n) - offset;
                headBytes = headWritten + n;
            }
            head.write(bytes, offset, n);
            headWritten += n;
            offset += n;
            length -= n;
        }
        if (length > 0) {
            toRing(bytes, offset, length);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        head.flush();
    }

    /** Appends the marker and the tail to the log, and removes the ring. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (OutputStream log = head) {
            if (ring == null) {
                return;
            }
            byte[] tail = ringInOrder();
            int start = characterStart(tail, 0, Math.min(tail.length, CHARACTER_MAX_BYTES));
            cut += start;
            if (cut > 0) {
                log.write(marker(cut));
            }
            log.write(tail, start, tail.length - start);
            ring.close();
            Files.deleteIfExists(ringFile);
        }
    }

    private void toRing(byte[] bytes, int offset, int length) throws IOException {
        if (ring == null) {
            ring = new RandomAccessFile(ringFile.toFile(), "rw");
            ring.setLength(0);
        }
        if (length > tailBytes) {
            // More than the whole tail at once: only its end can stay.
            cut += length - tailBytes;
            offset += length - tailBytes;
            length = tailBytes;
        }
        cut += Math.max(0, ringWritten + length - tailBytes) - Math.max(0, ringWritten - tailBytes);
        while (length > 0) {
            int position = (int) (ringWritten % tailBytes);
            int n = Math.min(length, tailBytes - position);
            ring.seek(position);
            ring.write(bytes, offset, n);
            ringWritten += n;
            offset += n;
            length -= n;
        }
    }

    private byte[] ringInOrder() throws IOException {
        int size = (int) Math.min(ringWritten, tailBytes);
        byte[] tail = new byte[size];
        int start = ringWritten > tailBytes ? (int) (ringWritten % tailBytes) : 0;
        ring.seek(start);
        ring.readFully(tail, 0, size - start);
        ring.seek(0);
        ring.readFully(tail, size - start, start);
        return tail;
    }

    /**
     * A log longer than its head, from an earlier attempt (or written before logs had a cap): what
     * is past the head goes back into the ring, after the marker if there is one (its count carries on).
     */
    private void reopenTail(long existing) throws IOException {
        try (RandomAccessFile log = new RandomAccessFile(file.toFile(), "rw")) {
            long windowStart = Math.max(0, headBytes - CHARACTER_MAX_BYTES);
            byte[] window = new byte[(int) (Math.min(existing, headBytes + MARKER_MAX_BYTES) - windowStart)];
            log.seek(windowStart);
            log.readFully(window);
            long headEnd;
            long tailFrom;
            int markerAt = indexOf(window, MARKER_START.getBytes(StandardCharsets.UTF_8), CHARACTER_MAX_BYTES + 1);
            Matcher marker = markerAt < 0 ? null : MARKER.matcher(
                    new String(window, markerAt, window.length - markerAt, StandardCharsets.UTF_8));
            if (marker != null && marker.lookingAt()) {
                headEnd = windowStart + markerAt;
                tailFrom = headEnd + marker.group().getBytes(StandardCharsets.UTF_8).length;
                cut = Long.parseLong(marker.group(1));
            } else {
                headEnd = windowStart + characterBoundary(window, 0, (int) (headBytes - windowStart));
                tailFrom = headEnd;
            }
            long keep = Math.min(existing - tailFrom, tailBytes);
            cut += existing - tailFrom - keep;
            byte[] rest = new byte[(int) keep];
            log.seek(existing - keep);
            log.readFully(rest);
            log.setLength(headEnd);
            headBytes = headEnd;
            headWritten = headEnd;
            toRing(rest, 0, rest.length);
        }
    }

    private static int indexOf(byte[] bytes, byte[] sought, int startsBefore) {
        for (int i = 0; i < Math.min(startsBefore, bytes.length - sought.length + 1); i++) {
            if (Arrays.equals(bytes, i, i + sought.length, sought, 0, sought.length)) {
                return i;
            }
        }
        return -1;
    }

    private byte[] marker(long bytes) {
        return String.format(Locale.ROOT, "\n[… %d bytes cut here: a task's log keeps its first %s and last %s "
                + "(MAYFLY_TASK_LOG_MAX_MB) …]\n", bytes, size(maxBytes / 4), size(tailBytes))
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String size(long bytes) {
        return bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB"
                : bytes >= 1024 ? bytes / 1024 + " KB" : bytes + " bytes";
    }

    /** The index at or before {@code at} (not before {@code from}) where the UTF-8 character holding it begins. */
    private static int characterBoundary(byte[] bytes, int from, int at) {
        int i = at;
        while (i > from && i < bytes.length && (bytes[i] & 0xC0) == 0x80) {
            i--;
        }
        return i;
    }

    /** The first index at or after {@code from} (before {@code end}) that begins a UTF-8 character. */
    private static int characterStart(byte[] bytes, int from, int end) {
        int i = from;
        while (i < end && (bytes[i] & 0xC0) == 0x80) {
            i++;
        }
        return i;
    }
}
