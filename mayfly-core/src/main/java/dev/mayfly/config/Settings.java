package dev.mayfly.config;

import dev.mayfly.log.LogFormat;
import dev.mayfly.log.RecordText;
import dev.mayfly.memory.MemorySettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
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
 * @param standby the worker JVMs started before their tasks
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
        Duration heartbeat,
        StandbySettings standby) {

    public Settings {
        agentClasspath = List.copyOf(agentClasspath);
        longKeywords = List.copyOf(longKeywords);
        shortKeywords = List.copyOf(shortKeywords);
    }

    /** As a record shows itself ({@link RecordText} says why it is written out). */
    @Override
    public String toString() {
        return RecordText.of(this);
    }

    public Path logFile() {
        return home.resolve("logs").resolve("orchestrator.log");
    }

    /**
     * What Mayfly keeps to start faster, made again whenever it is missing: the class-data archives
     * of the worker and of the command line, the SQLite driver's native library.
     */
    public Path cacheFolder() {
        return home.resolve("cache");
    }

    public Path runsDir() {
        return home.resolve("runs");
    }

    /** A builder naming each setting; {@link SettingsReader} fills it. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder().useWorkers(useWorkers).home(home).maxWorkers(maxWorkers).heapMb(heapMb).timeout(timeout)
                .queueCapacity(queueCapacity).memoryReportInterval(memoryReportInterval).gracePeriod(gracePeriod)
                .warnPercent(warnPercent).defaultAgent(defaultAgent).agentClasspath(agentClasspath)
                .logFormat(logFormat).longKeywords(longKeywords).shortKeywords(shortKeywords).profile(profile)
                .rotatePercent(rotatePercent).maxRotations(maxRotations).memory(memory).retry(retry).disk(disk)
                .resume(resume).store(store).heartbeat(heartbeat).standby(standby);
    }

    /**
     * Each setting by its name, so that two whole numbers or two durations cannot change places
     * unseen. Every setting must be given: the defaults are {@link SettingsReader}'s.
     */
    public static final class Builder {
        private Boolean useWorkers;
        private Path home;
        private Integer maxWorkers;
        private Integer heapMb;
        private Duration timeout;
        private Integer queueCapacity;
        private Duration memoryReportInterval;
        private Duration gracePeriod;
        private Double warnPercent;
        private Optional<String> defaultAgent;
        private List<Path> agentClasspath;
        private LogFormat logFormat;
        private List<String> longKeywords;
        private List<String> shortKeywords;
        private Profile profile;
        private Double rotatePercent;
        private Integer maxRotations;
        private MemorySettings memory;
        private RetrySettings retry;
        private DiskSettings disk;
        private ResumeSettings resume;
        private StoreLocation store;
        private Duration heartbeat;
        private StandbySettings standby;

        private Builder() {}

        public Builder useWorkers(boolean value) {
            useWorkers = value;
            return this;
        }

        public Builder home(Path value) {
            home = value;
            return this;
        }

        public Builder maxWorkers(int value) {
            maxWorkers = value;
            return this;
        }

        public Builder heapMb(int value) {
            heapMb = value;
            return this;
        }

        public Builder timeout(Duration value) {
            timeout = value;
            return this;
        }

        public Builder queueCapacity(int value) {
            queueCapacity = value;
            return this;
        }

        public Builder memoryReportInterval(Duration value) {
            memoryReportInterval = value;
            return this;
        }

        public Builder gracePeriod(Duration value) {
            gracePeriod = value;
            return this;
        }

        public Builder warnPercent(double value) {
            warnPercent = value;
            return this;
        }

        public Builder defaultAgent(Optional<String> value) {
            defaultAgent = value;
            return this;
        }

        public Builder agentClasspath(List<Path> value) {
            agentClasspath = value;
            return this;
        }

        public Builder logFormat(LogFormat value) {
            logFormat = value;
            return this;
        }

        public Builder longKeywords(List<String> value) {
            longKeywords = value;
            return this;
        }

        public Builder shortKeywords(List<String> value) {
            shortKeywords = value;
            return this;
        }

        public Builder profile(Profile value) {
            profile = value;
            return this;
        }

        public Builder rotatePercent(double value) {
            rotatePercent = value;
            return this;
        }

        public Builder maxRotations(int value) {
            maxRotations = value;
            return this;
        }

        public Builder memory(MemorySettings value) {
            memory = value;
            return this;
        }

        public Builder retry(RetrySettings value) {
            retry = value;
            return this;
        }

        public Builder disk(DiskSettings value) {
            disk = value;
            return this;
        }

        public Builder resume(ResumeSettings value) {
            resume = value;
            return this;
        }

        public Builder store(StoreLocation value) {
            store = value;
            return this;
        }

        public Builder heartbeat(Duration value) {
            heartbeat = value;
            return this;
        }

        public Builder standby(StandbySettings value) {
            standby = value;
            return this;
        }

        /** The settings; one not given is a programming error, named in the exception. */
        public Settings build() {
            return new Settings(given(useWorkers, "useWorkers"), given(home, "home"), given(maxWorkers, "maxWorkers"),
                    given(heapMb, "heapMb"), given(timeout, "timeout"), given(queueCapacity, "queueCapacity"),
                    given(memoryReportInterval, "memoryReportInterval"), given(gracePeriod, "gracePeriod"),
                    given(warnPercent, "warnPercent"), given(defaultAgent, "defaultAgent"),
                    given(agentClasspath, "agentClasspath"), given(logFormat, "logFormat"),
                    given(longKeywords, "longKeywords"), given(shortKeywords, "shortKeywords"),
                    given(profile, "profile"), given(rotatePercent, "rotatePercent"),
                    given(maxRotations, "maxRotations"), given(memory, "memory"), given(retry, "retry"),
                    given(disk, "disk"), given(resume, "resume"), given(store, "store"), given(heartbeat, "heartbeat"),
                    given(standby, "standby"));
        }

        private static <T> T given(T value, String name) {
            return Objects.requireNonNull(value, () -> "setting " + name + " was not given");
        }
    }
}
