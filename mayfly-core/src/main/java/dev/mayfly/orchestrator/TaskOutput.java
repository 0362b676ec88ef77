package dev.mayfly.orchestrator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * Sends what an in-process agent prints to its task's log, as a worker's output goes there: once,
 * {@code System.out} and {@code System.err} are replaced by streams that write to the log of the
 * task whose thread prints (and of the threads it starts), and to the original streams for every
 * other thread. So Mayfly's own output ({@code --json} above all) is never mixed with an agent's.
 * (A thread of a pool made before the task, such as the common fork-join pool, prints as before.)
 */
final class TaskOutput {

    private static final InheritableThreadLocal<OutputStream> LOG = new InheritableThreadLocal<>();
    private static boolean installed;

    private TaskOutput() {}

    /** Replaces System.out and System.err, the first time it is called. */
    static synchronized void install() {
        if (!installed) {
            System.setOut(routed(System.out));
            System.setErr(routed(System.err));
            installed = true;
        }
    }

    /** Runs {@code work} with what this thread (and those it starts) prints going to {@code log}. */
    static <T> T printingTo(OutputStream log, Supplier<T> work) {
        LOG.set(log);
        try {
            return work.get();
        } finally {
            LOG.remove();
        }
    }

    private static PrintStream routed(PrintStream original) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                OutputStream log = LOG.get();
                if (log == null) {
                    original.write(bytes, offset, length);
                    return;
                }
                synchronized (log) {
                    try {
                        log.write(bytes, offset, length);
                    } catch (IOException e) {
                        // The task has ended and its log is closed: a thread it left behind prints into nothing.
                    }
                }
            }

            @Override
            public void flush() throws IOException {
                OutputStream log = LOG.get();
                if (log == null) {
                    original.flush();
                }
            }
        }, true);
    }
}
