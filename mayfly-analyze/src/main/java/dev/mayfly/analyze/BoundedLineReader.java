package dev.mayfly.analyze;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a file's lines through a fixed buffer, keeping at most {@value #MAX_LINE} characters of
 * any line: a minified bundle or a data file with a megabyte on one line costs no more memory
 * than a short one. What is cut is counted, not kept.
 */
final class BoundedLineReader implements Closeable {

    static final int MAX_LINE = 2000;
    private static final int BUFFER = 16 * 1024;

    private final Reader reader;
    private final char[] buffer = new char[BUFFER];
    private final StringBuilder line = new StringBuilder(256);
    private int position;
    private int limit;
    private long cutLines;

    BoundedLineReader(InputStream in) {
        this.reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
    }

    /** The next line without its terminator (cut to {@value #MAX_LINE} characters), or null at the end. */
    String readLine() throws IOException {
        line.setLength(0);
        boolean any = false;
        boolean cut = false;
        while (true) {
            if (position == limit) {
                limit = reader.read(buffer, 0, BUFFER);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any ? finish(cut) : null;
                }
            }
            any = true;
            while (position < limit) {
                char c = buffer[position++];
                if (c == '\n') {
                    return finish(cut);
                }
                if (line.length() < MAX_LINE) {
                    line.append(c);
                } else {
                    cut = true;
                }
            }
        }
    }

    private String finish(boolean cut) {
        if (cut) {
            cutLines++;
        }
        int length = line.length();
        if (length > 0 && line.charAt(length - 1) == '\r') {
            line.setLength(length - 1);
        }
        return line.toString();
    }

    /** How many lines were longer than {@value #MAX_LINE} characters and cut. */
    long cutLines() {
        return cutLines;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
