package dev.mayfly.log;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Copies what is written to a file to an output as it comes, like {@code tail -f}: a task's stream
 * file to standard output ({@code run --stream}), its log ({@code logs --follow}, and the server's
 * {@code /log?follow=true}). The file may
 * not exist yet. It looks every {@value #POLL_MS} ms: one read that finds nothing new costs
 * microseconds, and a tenth of a second is live to a reader (a file-system watch would add a
 * thread and an inotify watch to save nothing a user can see).
 */
public final class FileFollower implements AutoCloseable {

    public static final int POLL_MS = 100;

    private final Path file;
    private final OutputStream out;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private Thread thread;
    private long position;
    private IOException failure;

    private FileFollower(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
    }

    /** Starts following {@code file} from its start, on a thread of its own. */
    public static FileFollower start(Path file, OutputStream out) {
        FileFollower follower = new FileFollower(file, out);
        follower.thread = new Thread(follower::follow, "mayfly-follow");
        follower.thread.setDaemon(true);
        follower.thread.start();
        return follower;
    }

    /**
     * A follower with no thread of its own: each {@link #copyNew} copies what was added since the
     * last (a caller that looks at the file on its own schedule, as the server's event stream does).
     */
    public static FileFollower unthreaded(Path file, OutputStream out) {
        return new FileFollower(file, out);
    }

    /** Copies what the file holds now, once. */
    public static void copyAll(Path file, OutputStream out) throws IOException {
        new FileFollower(file, out).copyNew();
    }

    private void follow() {
        try {
            do {
                copyNew();
            } while (!stopped.await(POLL_MS, TimeUnit.MILLISECONDS));
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies what was added since the last look. */
    public synchronized void copyNew() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            channel.position(position);
            int read;
            while ((read = channel.read(buffer)) > 0) {
                out.write(buffer.array(), 0, read);
                position += read;
                buffer.clear();
            }
            out.flush();
        } catch (NoSuchFileException e) {
            // Not there yet: nothing has been written.
        }
    }

    /** Stops following, after copying everything the file holds now. */
    @Override
    public void close() throws IOException {
        stopped.countDown();
        try {
            if (thread != null) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        copyNew();
    }
}
