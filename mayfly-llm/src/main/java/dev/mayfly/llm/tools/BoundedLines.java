package dev.mayfly.llm.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a text file line by line keeping at most {@code maxLineChars} of each line, so that a file
 * of any size, even one with a single gigantic line, is read in constant memory.
 */
final class BoundedLines implements AutoCloseable {

    /** A line as read: its first characters, and whether it was longer. */
    record Line(String text, boolean cut) {}

    private final Reader reader;
    private final int maxLineChars;
    private final char[] buffer = new char[16 * 1024];
    private int position;
    private int limit;

    BoundedLines(Path file, int maxLineChars) throws IOException {
        // Malformed UTF-8 is replaced, not fatal: a model reading a Latin-1 file still sees most of it.
        this.reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8);
        this.maxLineChars = maxLineChars;
    }

    /** The next line without its line ending, or null at the end of the file. */
    Line next() throws IOException {
        StringBuilder line = new StringBuilder();
        boolean cut = false;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = reader.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any ? new Line(line.toString(), cut) : null;
                }
            }
            any = true;
            char c = buffer[position++];
            if (c == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return new Line(line.toString(), cut);
            }
            if (line.length() < maxLineChars) {
                line.append(c);
            } else {
                cut = true;
            }
        }
    }

    /** Whether a file looks binary: a NUL byte in its first 8 KB. */
    static boolean binary(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8192);
            for (byte b : head) {
                if (b == 0) {
                    return true;
                }
            }
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
