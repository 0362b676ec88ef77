package dev.mayfly.cli;

import dev.mayfly.batch.BatchProgress;
import dev.mayfly.client.TaskView;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A batch's progress on standard error. On a terminal: one line redrawn four times a second, with
 * failures printed above it as they happen. Elsewhere (a pipe, a CI log): a plain line as each
 * task ends.
 */
final class ProgressDisplay {

    private static final long REDRAW_MILLIS = 250;

    private final PrintStream err;
    private final boolean live;
    private final Supplier<BatchProgress> progress;
    private Thread ticker;
    private volatile boolean running;
    private boolean stopped;
    private int drawnWidth;

    ProgressDisplay(PrintStream err, boolean live, Supplier<BatchProgress> progress) {
        this.err = err;
        this.live = live;
        this.progress = progress;
    }

    /** On a terminal: starts redrawing. */
    void start() {
        if (!live) {
            return;
        }
        running = true;
        ticker = new Thread(() -> {
            while (running) {
                redraw(progress.get());
                try {
                    Thread.sleep(REDRAW_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "mayfly-progress");
        ticker.setDaemon(true);
        ticker.start();
    }

    /** A line's task ended (here, or in a server). */
    synchronized void ended(int line, TaskView task, BatchProgress now) {
        String what = String.format(Locale.ROOT, "line %d %s %s", line, task.taskId(), task.verdict());
        if (!live) {
            err.printf(Locale.ROOT, "%s %s (%s)%n", counter(now), what,
                    TaskViews.seconds(task.executionTimeMs() == null ? 0 : task.executionTimeMs()));
            err.flush();
        } else if (!task.succeeded()) {
            clear();
            err.println(what + ": " + task.error());
            redraw(now);
        }
    }

    /** Stops redrawing and leaves the last state on its own line; once, however often it is called. */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        running = false;
        if (ticker != null) {
            ticker.interrupt();
        }
        if (live) {
            redraw(progress.get());
            err.println();
            err.flush();
        }
    }

    private synchronized void redraw(BatchProgress now) {
        String line = line(now);
        err.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
        err.flush();
        drawnWidth = line.length();
    }

    private void clear() {
        err.print("\r" + " ".repeat(drawnWidth) + "\r");
        drawnWidth = 0;
    }

    static String line(BatchProgress now) {
        return String.format(Locale.ROOT, "%s done %d · running %d · waiting %d · failed %d · %s · %.0f/min", counter(now),
                now.done(), now.running(), now.waiting(), now.failed(), clock(now.elapsed().toMillis()), now.perMinute());
    }

    private static String counter(BatchProgress now) {
        int width = String.valueOf(now.total()).length();
        return String.format(Locale.ROOT, "[%" + width + "d/%d]", now.done(), now.total());
    }

    private static String clock(long millis) {
        long seconds = millis / 1000;
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
