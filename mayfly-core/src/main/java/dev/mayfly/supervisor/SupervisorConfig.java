package dev.mayfly.supervisor;

import dev.mayfly.config.Settings;
import dev.mayfly.memory.JobMemory;
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
 */
public record SupervisorConfig(int maxWorkers, int queueCapacity, Duration memoryReportInterval, Duration gracePeriod,
        double warnPercent, Duration connectTimeout, WorkerLauncher launcher, double rotatePercent, int maxRotations,
        JobMemory memory, Duration retryDelay, long taskLogMaxBytes, SessionRotation.Rules sessionRotation) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(60);

    public static SupervisorConfig from(Settings settings, JobMemory memory) {
        return new SupervisorConfig(settings.maxWorkers(), settings.queueCapacity(), settings.memoryReportInterval(),
                settings.gracePeriod(), settings.warnPercent(), DEFAULT_CONNECT_TIMEOUT,
                WorkerLauncher.fromCurrentJvm(settings.profile(), settings.cacheFolder()),
                settings.rotatePercent(), settings.maxRotations(), memory, settings.retry().delay(),
                settings.disk().taskLogMaxBytes(), SessionRotation.Rules.of(settings));
    }
}
