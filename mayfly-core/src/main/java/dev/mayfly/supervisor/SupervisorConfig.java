package dev.mayfly.supervisor;

import dev.mayfly.config.Settings;
import dev.mayfly.memory.JobMemory;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a supervisor runs its workers; frozen when it starts.
 *
 * @param maxWorkers worker JVMs alive at once
 * @param queueCapacity tasks that may wait for a free worker
 * @param memoryReportInterval how often each worker reports its memory
 * @param gracePeriod between a polite stop and a forced one
 * @param warnPercent heap use, in percent of the cap, that raises a warning
 * @param connectTimeout how long a new worker JVM may take to connect
 * @param launcher how worker JVMs are started
 * @param rotatePercent live heap (percent of the cap) past which a worker asks for a rotation
 * @param maxRotations how often one task may move to a fresh worker
 * @param memory the tasks' process trees: measured, capped, contained; and admission by memory
 * @param retryDelay the first backoff before a retry
 * @param taskLogMaxBytes the most a task's log keeps
 * @param sessionRotation when a command agent that can resume its session moves to a fresh worker
 * @param standby the workers started before their tasks
 */
public record SupervisorConfig(int maxWorkers, int queueCapacity, Duration memoryReportInterval, Duration gracePeriod,
        double warnPercent, Duration connectTimeout, WorkerLauncher launcher, double rotatePercent, int maxRotations,
        JobMemory memory, Duration retryDelay, long taskLogMaxBytes, SessionRotation.Rules sessionRotation, Standby standby) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(60);

    /**
     * How many workers are started before their tasks, and with what.
     *
     * @param minWorkers JVMs kept alive at the least, running or ready
     * @param idle how long a burst's demand is remembered; zero for a one-shot command
     * @param heapMb the heap cap of ready workers started before any task arrived
     * @param workDir their working folder
     * @param folders where each ready worker keeps what its JVM writes before a task takes it (the
     *     production profile's heap dump and GC log), moved to the task's folder afterwards
     */
    public record Standby(int minWorkers, Duration idle, int heapMb, Path workDir, Path folders) {}

    /**
     * @param serving whether tasks keep arriving (a server), so that the demand of the last
     *     {@code MAYFLY_STANDBY_IDLE} is worth keeping workers ready for; a one-shot command keeps
     *     only {@code MAYFLY_MIN_WORKERS}
     */
    public static SupervisorConfig from(Settings settings, JobMemory memory, boolean serving) {
        return new SupervisorConfig(settings.maxWorkers(), settings.queueCapacity(), settings.memoryReportInterval(),
                settings.gracePeriod(), settings.warnPercent(), DEFAULT_CONNECT_TIMEOUT,
                WorkerLauncher.fromCurrentJvm(settings.profile(), settings.cacheFolder()),
                settings.rotatePercent(), settings.maxRotations(), memory, settings.retry().delay(),
                settings.disk().taskLogMaxBytes(), SessionRotation.Rules.of(settings),
                new Standby(settings.standby().minWorkers(), serving ? settings.standby().idle() : Duration.ZERO,
                        settings.heapMb(), Path.of("").toAbsolutePath(), settings.home().resolve("workers")));
    }
}
