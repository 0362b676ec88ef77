package dev.mayfly.process;

import java.nio.charset.StandardCharsets;

/**
 * The last bytes of an output stream, kept in a fixed-size ring so that a command that prints
 * gigabytes costs no more memory than one that prints a line.
 */
public final class OutputTail {

    private final byte[] ring;
    private long written;

    public OutputTail(int capacity) {
        ring = new byte[capacity];
    }

    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = 0; i < length; i++) {
            ring[(int) (written++ % ring.length)] = bytes[offset + i];
        }
    }

    /** The tail as text, starting at a line boundary when one is in reach. */
    public synchronized String text() {
        int size = (int) Math.min(written, ring.length);
        byte[] ordered = new byte[size];
        long start = written - size;
        for (int i = 0; i < size; i++) {
            ordered[i] = ring[(int) ((start + i) % ring.length)];
        }
        String text = new String(ordered, StandardCharsets.UTF_8);
        if (written > ring.length) {
            int newline = text.indexOf('\n');
            if (newline >= 0 && newline < text.length() - 1) {
                text = text.substring(newline + 1);
            }
        }
        return text;
    }
}
