package dev.mayfly.config;

import dev.mayfly.log.LogFormat;
import dev.mayfly.memory.MemorySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything Mayfly is configured with, checked and frozen. Built by {@link SettingsReader} from
 * flags, then the environment, then the defaults.
 *
 * @param useWorkers the feature flag: long tasks go to worker JVMs ({@code USE_WORKERS})
 * @param home where the store, logs and task folders live ({@code MAYFLY_HOME})
 * @param maxWorkers worker JVMs alive at once ({@code MAYFLY_MAX_WORKERS})
 * @param heapMb each worker's heap cap, its {@code -Xmx} ({@code MAYFLY_HEAP_MB})
 * @param timeout how long a task may run ({@code MAYFLY_TIMEOUT})
 * @param queueCapacity tasks that may wait for a worker ({@code MAYFLY_QUEUE_CAPACITY})
 * @param memoryReportInterval how often a worker reports its memory ({@code MAYFLY_MEMORY_REPORT_INTERVAL})
 * @param gracePeriod between a polite stop and a forced one ({@code MAYFLY_GRACE_PERIOD})
 * @param warnPercent heap use, in percent of the cap, that raises a warning ({@code MAYFLY_HEAP_WARN_PERCENT})
 * @param defaultAgent the agent used when a task names none ({@code MAYFLY_AGENT})
 * @param agentClasspath where Java agents' classes are ({@code MAYFLY_CLASSPATH})
 * @param logFormat the console's log format ({@code MAYFLY_LOG_FORMAT})
 * @param longKeywords words that mark a task long-running ({@code MAYFLY_LONG_KEYWORDS})
 * @param shortKeywords words that mark a task short-running ({@code MAYFLY_SHORT_KEYWORDS})
 * @param profile how the JVMs are tuned ({@code MAYFLY_PROFILE}: default or production)
 * @param rotatePercent live heap after a collection, in percent of the cap, past which a worker asks
 *     its agent to checkpoint and move to a fresh worker ({@code MAYFLY_ROTATE_PERCENT})
 * @param maxRotations how often one task may move to a fresh worker ({@code MAYFLY_MAX_ROTATIONS})
 * @param memory the cap on each task's process tree, and the host's reserve and floor
 * @param retry retries after {@code crashed} and {@code out_of_memory}
 * @param disk the task log's cap and the free space a task needs to start
 * @param resume how command agents that keep their own session continue it
 * @param store where the durable store is
 * @param heartbeat how often the supervisor marks itself alive in the store, for other machines
 *     sharing it ({@code MAYFLY_HEARTBEAT}); three missed beats and it counts as gone
 */
public record Settings(
        boolean useWorkers,
        Path home,
        int maxWorkers,
        int heapMb,
        Duration timeout,
        int queueCapacity,
        Duration memoryReportInterval,
        Duration gracePeriod,
        double warnPercent,
        Optional<String> defaultAgent,
        List<Path> agentClasspath,
        LogFormat logFormat,
        List<String> longKeywords,
        List<String> shortKeywords,
        Profile profile,
        double rotatePercent,
        int maxRotations,
        MemorySettings memory,
        RetrySettings retry,
        DiskSettings disk,
        ResumeSettings resume,
        StoreLocation store,
        Duration heartbeat) {

    public Settings {
        agentClasspath = List.copyOf(agentClasspath);
        longKeywords = List.copyOf(longKeywords);
        shortKeywords = List.copyOf(shortKeywords);
    }

    /** The store's SQLite file (MAYFLY_STORE_URL). */
    public Path storeFile() {
        return store.sqliteFile();
    }

    public Path logFile() {
        return home.resolve("logs").resolve("orchestrator.log");
    }

    public Path runsDir() {
        return home.resolve("runs");
    }
}
