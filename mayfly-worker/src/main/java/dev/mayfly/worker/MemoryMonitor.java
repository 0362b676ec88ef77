package dev.mayfly.worker;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.function.DoubleConsumer;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Reads this JVM's memory and keeps the true peaks.
 *
 * <p>A sample taken every few seconds misses the top of the saw-tooth: heap use is highest just
 * before a collection. So besides the samples, the monitor listens to every garbage collection
 * (from {@link #watchCollections()} on) and records the heap in use right before it; and for the
 * resident set it reads the kernel's own high-water mark ({@code VmHWM}).
 *
 * <p>Creating a monitor is cheap on purpose: the management classes behind {@link #sample()} and
 * {@link #watchCollections()} cost tens of milliseconds to load, which a worker pays on its memory
 * reporter's thread, beside the agent, never on the agent's way to its result.
 * {@link #recordNow()} needs none of them.
 */
public final class MemoryMonitor {

    private static final double MB = 1024.0 * 1024.0;
    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    private final DoubleAccumulator heapPeak = new DoubleAccumulator(Math::max, 0);
    private volatile DoubleConsumer livePercentListener = percent -> { };
    private final DoubleAccumulator rssPeak = new DoubleAccumulator(Math::max, -1);
    private volatile Beans beans;
    private long collectionsAtLastLive = -1;
    private double lastLivePercent;

    /** The management beans, loaded on first use. */
    private static final class Beans {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
    }

    private Beans beans() {
        Beans loaded = beans;
        if (loaded == null) {
            synchronized (this) {
                if (beans == null) {
                    beans = new Beans();
                }
                loaded = beans;
            }
        }
        return loaded;
    }

    /** Starts listening to collections, so that {@link #heapPeakMb()} sees each pre-collection high. */
    public MemoryMonitor watchCollections() {
        Beans loaded = beans();
        for (GarbageCollectorMXBean collector : loaded.collectors) {
            if (collector instanceof NotificationEmitter) {
                ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        recordBeforeCollection(loaded, (CompositeData) notification.getUserData());
                    }
                }, null, null);
            }
        }
        return this;
    }

    /** Hears, after each collection, how much of the heap cap is still in use (the live heap), in percent. */
    public MemoryMonitor onLiveHeap(DoubleConsumer listener) {
        this.livePercentListener = listener;
        return this;
    }

    private void recordBeforeCollection(Beans loaded, CompositeData data) {
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(data);
        heapPeak.accumulate(heapUsed(loaded, info.getGcInfo().getMemoryUsageBeforeGc()) / MB);
        long max = loaded.memory.getHeapMemoryUsage().getMax();
        if (max > 0) {
            livePercentListener.accept(100.0 * heapUsed(loaded, info.getGcInfo().getMemoryUsageAfterGc()) / max);
        }
    }

    /** The heap's part of a collection's pool usages (the map holds metaspace and code cache too). */
    private static long heapUsed(Beans loaded, Map<String, MemoryUsage> pools) {
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : pools.entrySet()) {
            if (loaded.heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        return used;
    }

    /** The heap in use now, garbage included, in percent of the cap: two fields of {@link Runtime}, no bean. */
    static double heapInUsePercent() {
        Runtime runtime = Runtime.getRuntime();
        return 100.0 * (runtime.totalMemory() - runtime.freeMemory()) / runtime.maxMemory();
    }

    /**
     * The heap still in use after the most recent collection (the live heap), in percent of the cap,
     * from the collectors' own record of their last collection; 0 before the first one. Read again
     * only when a collection ran since the last call (one counter per collector to compare).
     */
    double liveHeapPercentAfterLastCollection() {
        Beans loaded = beans();
        long collections = 0;
        for (GarbageCollectorMXBean collector : loaded.collectors) {
            collections += Math.max(0, collector.getCollectionCount());
        }
        synchronized (this) {
            if (collections != collectionsAtLastLive) {
                collectionsAtLastLive = collections;
                lastLivePercent = readLiveHeapPercent(loaded);
            }
            return lastLivePercent;
        }
    }

    private static double readLiveHeapPercent(Beans loaded) {
        GcInfo latest = null;
        for (GarbageCollectorMXBean collector : loaded.collectors) {
            if (collector instanceof com.sun.management.GarbageCollectorMXBean withInfo) {
                GcInfo info = withInfo.getLastGcInfo();
                if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
                    latest = info;
                }
            }
        }
        long max = Runtime.getRuntime().maxMemory();
        return latest == null ? 0 : 100.0 * heapUsed(loaded, latest.getMemoryUsageAfterGc()) / max;
    }

    /** Reads the memory now, every field of a report, and folds the reading into the peaks. */
    public MemorySample sample() {
        Beans loaded = beans();
        MemoryUsage heap = loaded.memory.getHeapMemoryUsage();
        long gcCount = 0;
        long gcTime = 0;
        for (GarbageCollectorMXBean collector : loaded.collectors) {
            gcCount += Math.max(0, collector.getCollectionCount());
            gcTime += Math.max(0, collector.getCollectionTime());
        }
        double max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        long[] rss = residentSetKb();
        MemorySample sample = new MemorySample(
                heap.getUsed() / MB,
                heap.getCommitted() / MB,
                max / MB,
                max > 0 ? 100.0 * heap.getUsed() / max : 0,
                loaded.memory.getNonHeapMemoryUsage().getUsed() / MB,
                rss[0] < 0 ? -1 : rss[0] / 1024.0,
                gcCount,
                gcTime);
        heapPeak.accumulate(sample.heapUsed());
        rssPeak.accumulate(rss[1] < 0 ? sample.rss() : rss[1] / 1024.0);
        return sample;
    }

    /** Folds the heap in use now and the resident set's high-water mark into the peaks, cheaply. */
    public void recordNow() {
        Runtime runtime = Runtime.getRuntime();
        heapPeak.accumulate((runtime.totalMemory() - runtime.freeMemory()) / MB);
        long[] rss = residentSetKb();
        rssPeak.accumulate(rss[1] >= 0 ? rss[1] / 1024.0 : rss[0] >= 0 ? rss[0] / 1024.0 : -1);
    }

    public double heapPeakMb() {
        return MemorySample.round(heapPeak.get());
    }

    /** The resident set's high-water mark, or -1 where the platform does not tell. */
    public double rssPeakMb() {
        return MemorySample.round(rssPeak.get());
    }

    /** {VmRSS, VmHWM} in kB from /proc, or -1s off Linux. */
    private static long[] residentSetKb() {
        long[] values = {-1, -1};
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    values[0] = kilobytes(line);
                } else if (line.startsWith("VmHWM:")) {
                    values[1] = kilobytes(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc is not mounted: RSS stays unknown (-1) rather than guessed.
        }
        return values;
    }

    private static long kilobytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
