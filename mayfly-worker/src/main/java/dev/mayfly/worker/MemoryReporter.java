package dev.mayfly.worker;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends a memory report at the end of every interval (the first one interval after the task
 * starts, as the seeds' timer does), and a warning each time the heap rises past the threshold
 * (once per crossing, not once per report).
 */
final class MemoryReporter implements Runnable {

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
        boolean above = false;
        boolean watching = false;
        try {
            while (pause()) {
                if (!watching) {
                    monitor.watchCollections();
                    watching = true;
                }
                MemorySample sample = monitor.sample();
                channel.send(Messages.MEMORY_REPORT, sample.toMap());
                boolean nowAbove = sample.heapUsedPercent() > warnPercent;
                if (nowAbove && !above) {
                    Map<String, Object> warning = new LinkedHashMap<>(sample.toMap());
                    warning.put("thresholdPercent", warnPercent);
                    channel.send(Messages.MEMORY_WARNING, warning);
                }
                above = nowAbove;
            }
        } catch (IOException e) {
            // The channel is gone; the main thread handles that.
        }
    }

    /** Waits one interval; false once stopped. */
    private boolean pause() {
        long deadline = System.nanoTime() + intervalMs * 1_000_000;
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
