package dev.mayfly.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The log's file: each line appended, and once the file has reached its size, rolled over before the
 * next one ({@code orchestrator.log} becomes {@code .1}, {@code .1} becomes {@code .2}, and the oldest
 * of the kept ones goes), as Logback's {@code RollingFileAppender} with a fixed window did.
 *
 * <p>That appender, with its policies, took 10-17 ms of every command's start on JDK 17 (its file name
 * pattern parser, and dozens of string joins each linked at its first use), against under 1 ms for
 * this (docs/benchmarks.md, "The command line"). The size is the file's own, read at each line: other
 * Mayfly processes of the same home append to the same file.
 */
final class RolledFile extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private final Path file;
    private final long maxBytes;
    private final int kept;
    private final Encoder<ILoggingEvent> encoder;
    /** Guarded by this: lines from several threads are written whole, one after another. */
    private FileChannel channel;

    RolledFile(Path file, long maxBytes, int kept, Encoder<ILoggingEvent> encoder) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.kept = kept;
        this.encoder = encoder;
    }

    @Override
    public synchronized void start() {
        try {
            channel = open();
            super.start();
        } catch (IOException e) {
            addError("cannot open the log file " + file, e);
        }
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        if (channel == null) {
            return;
        }
        ByteBuffer line = ByteBuffer.wrap(encoder.encode(event));
        try {
            if (channel.size() >= maxBytes) {
                rollOver();
            }
            while (line.hasRemaining()) {
                channel.write(line);
            }
        } catch (IOException e) {
            addError("cannot write to the log file " + file, e);
        }
    }

    /** Each kept file moves one place up, the oldest goes, and a new file begins. */
    private void rollOver() throws IOException {
        channel.close();
        try {
            Files.deleteIfExists(numbered(kept));
            for (int i = kept - 1; i >= 1; i--) {
                if (Files.exists(numbered(i))) {
                    Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (Files.exists(file)) {
                Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            channel = open(); // Where a move failed, the lines go on in the file as it is.
        }
    }

    private Path numbered(int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }

    private FileChannel open() throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Override
    public synchronized void stop() {
        super.stop();
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                addError("cannot close the log file " + file, e);
            }
            channel = null;
        }
    }
}
