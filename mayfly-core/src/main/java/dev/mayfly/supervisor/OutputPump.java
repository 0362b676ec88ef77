package dev.mayfly.supervisor;

import dev.mayfly.api.OutputTail;
import dev.mayfly.log.TaskLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Copies a worker's standard output and error into its task's log, keeping the last few
 * kilobytes to explain a crash ("Terminating due to java.lang.OutOfMemoryError…").
 */
final class OutputPump {

    private static final int TAIL_BYTES = 4 * 1024;

    private final OutputTail tail = new OutputTail(TAIL_BYTES);
    private final Thread thread;

    /**
     * @param logMaxBytes the most the task's log keeps ({@link TaskLog})
     * @param banner written to the log before the worker's output (a later attempt's {@link AttemptBanner}), or empty
     */
    OutputPump(InputStream output, Path logFile, long logMaxBytes, byte[] banner, String name) {
        thread = new Thread(() -> copy(output, logFile, logMaxBytes, banner), name);
        thread.setDaemon(true);
    }

    OutputPump start() {
        thread.start();
        return this;
    }

    private void copy(InputStream output, Path logFile, long logMaxBytes, byte[] banner) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = output; OutputStream log = TaskLog.open(logFile, logMaxBytes)) {
            log.write(banner);
            int read;
            while ((read = in.read(buffer)) >= 0) {
                log.write(buffer, 0, read);
                tail.write(buffer, 0, read);
            }
        } catch (IOException e) {
            // The worker is gone or the log cannot be written; the outcome does not depend on it.
        }
    }

    /** Waits for the copy to finish (the worker and everything holding its output are gone). */
    void await(long millis) throws InterruptedException {
        thread.join(millis);
    }

    /** The last non-empty line the worker printed, or an empty string. */
    String lastLine() {
        String text = tail.text().strip();
        return text.substring(text.lastIndexOf('\n') + 1);
    }
}
