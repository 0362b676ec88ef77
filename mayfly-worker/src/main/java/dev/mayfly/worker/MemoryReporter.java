package dev.mayfly.worker;

import java.io.IOException;

/**
 * Sends a memory report at the end of every interval (the first one interval after the task
 * starts, as the seeds' timer does), and a warning each time the heap rises past the threshold
 * (once per crossing, not once per report).
 */
final class MemoryReporter implements Runnable {

    static final long WATCH_COLLECTIONS_AFTER_MS = 250;

    private final Channel channel;
    private final long intervalMs;
    private final double warnPercent;
    private final MemoryMonitor monitor = new MemoryMonitor();
    private final Thread thread = new Thread(this, "mayfly-memory");
    private final Object wakeUp = new Object();
    private volatile boolean stopped;

    MemoryReporter(Channel channel, long intervalMs, double warnPercent) {
        this.channel = channel;
        this.intervalMs = intervalMs;
        this.warnPercent = warnPercent;
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops reporting; a report being sent is finished first. */
    void stop() {
        stopped = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    MemoryMonitor monitor() {
        return monitor;
    }

    @Override
    public void run() {
        // Collections are watched from a quarter second in (or the first report, if sooner), on
        // this thread: early enough that a task of any length worth measuring gets its true heap
        // peak, late enough that the management classes' loading never competes with an empty
        // task for the CPU (5 to 8 ms of every worker start when done at once; docs/benchmarks.md).
        long watchAfter = Math.min(intervalMs, WATCH_COLLECTIONS_AFTER_MS);
        if (!pause(watchAfter)) {
            return;
        }
        monitor.watchCollections();
        long wait = intervalMs - watchAfter;
        boolean above = false;
        try {
            while (pause(wait)) {
                wait = intervalMs;
                MemorySample sample = monitor.sample();
                channel.send(new ChannelMessage.MemoryReport(sample));
                boolean nowAbove = sample.heapUsedPercent() > warnPercent;
                if (nowAbove && !above) {
                    channel.send(new ChannelMessage.MemoryWarning(sample, warnPercent));
                }
                above = nowAbove;
            }
        } catch (IOException e) {
            // The channel is gone; the main thread handles that.
        }
    }

    /** Waits the given time; false once stopped. */
    private boolean pause(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (wakeUp) {
            long left;
            while (!stopped && (left = deadline - System.nanoTime()) > 0) {
                try {
                    wakeUp.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    return false;
                }
            }
        }
        return !stopped;
    }
}
