package dev.mayfly.worker;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends a memory report every interval, and a warning each time the heap rises past the
 * threshold (once per crossing, not once per report).
 *
 * <p>The monitor is created on this thread, so the management classes it needs are loaded while
 * the agent is already running rather than before it.
 */
final class MemoryReporter implements Runnable {

    private final Channel channel;
    private final long intervalMs;
    private final double warnPercent;
    private final Thread thread = new Thread(this, "mayfly-memory");
    private volatile MemoryMonitor monitor;
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

    void stop() {
        stopped = true;
        thread.interrupt();
    }

    /** The monitor, created now if the reporter thread has not got to it yet. */
    synchronized MemoryMonitor monitor() {
        if (monitor == null) {
            monitor = new MemoryMonitor().watchCollections();
        }
        return monitor;
    }

    @Override
    public void run() {
        MemoryMonitor memory = monitor();
        boolean above = false;
        try {
            while (!stopped) {
                MemorySample sample = memory.sample();
                channel.send(Messages.MEMORY_REPORT, sample.toMap());
                boolean nowAbove = sample.heapUsedPercent() > warnPercent;
                if (nowAbove && !above) {
                    Map<String, Object> warning = new LinkedHashMap<>(sample.toMap());
                    warning.put("thresholdPercent", warnPercent);
                    channel.send(Messages.MEMORY_WARNING, warning);
                }
                above = nowAbove;
                Thread.sleep(intervalMs);
            }
        } catch (InterruptedException | IOException e) {
            // Stopped, or the channel is gone (the main thread handles that).
        }
    }
}
