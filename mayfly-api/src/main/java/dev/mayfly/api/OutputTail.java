package dev.mayfly.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The last bytes of an output stream, kept in a fixed-size ring so that a command that prints
 * gigabytes costs no more memory than one that prints a line. Mayfly keeps a command agent's tail
 * with it; an agent that runs programs ({@link TaskContext#startProgram}) can keep theirs.
 */
public final class OutputTail {

    private final byte[] ring;
    private long written;

    public OutputTail(int capacity) {
        ring = new byte[capacity];
    }

    /**
     * Reads a program's output on a daemon thread until it ends, keeping its tail here and copying
     * every byte to {@code copy} as well (the task's log), when one is given.
     *
     * @return the thread, to join once the program has ended
     */
    public Thread readInBackground(InputStream output, OutputStream copy, String threadName) {
        return copyInBackground(output, new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                OutputTail.this.write(bytes, offset, length);
                if (copy != null) {
                    synchronized (copy) {
                        copy.write(bytes, offset, length);
                    }
                }
            }

            @Override
            public void flush() throws IOException {
                if (copy != null) {
                    synchronized (copy) {
                        copy.flush();
                    }
                }
            }
        }, threadName);
    }

    /**
     * Copies a program's output to {@code copy} on a daemon thread until it ends, and flushes it then.
     *
     * @return the thread, to join once the program has ended
     */
    public static Thread copyInBackground(InputStream output, OutputStream copy, String threadName) {
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (output) {
                int read;
                while ((read = output.read(buffer)) >= 0) {
                    copy.write(buffer, 0, read);
                }
                copy.flush();
            } catch (IOException e) {
                // The stream closes when the program ends; nothing more to read.
            }
        }, threadName);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = 0; i < length; i++) {
            ring[(int) (written++ % ring.length)] = bytes[offset + i];
        }
    }

    /**
     * The tail as text: all of the output when it fits, else its last bytes from the first whole
     * character on (a UTF-8 character is not cut in two), after a line saying how much was cut.
     */
    public synchronized String text() {
        int size = (int) Math.min(written, ring.length);
        byte[] ordered = new byte[size];
        long start = written - size;
        for (int i = 0; i < size; i++) {
            ordered[i] = ring[(int) ((start + i) % ring.length)];
        }
        if (written <= ring.length) {
            return new String(ordered, StandardCharsets.UTF_8);
        }
        int first = 0;
        while (first < size && (ordered[first] & 0xC0) == 0x80) {
            first++;
        }
        return "[… " + (start + first) + " earlier bytes cut …]\n"
                + new String(ordered, first, size - first, StandardCharsets.UTF_8);
    }
}
