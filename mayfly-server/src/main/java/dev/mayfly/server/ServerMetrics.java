package dev.mayfly.server;

import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.process.ProcFs;
import dev.mayfly.store.TaskStore;
import dev.mayfly.supervisor.SupervisorStats;
import dev.mayfly.task.TaskOutcome;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * {@code GET /metrics}: Prometheus' text format through Micrometer. The tasks are counted from the
 * store at each scrape (every supervisor sharing the home counts, not only this one), the rest is
 * this server's: its pool and queue, the host's memory, its own heap and resident memory.
 */
final class ServerMetrics {

    private static final double MB = 1024.0 * 1024.0;
    /** Agent tasks run from seconds to hours: a bucket per order of magnitude a person tells apart. */
    private static final Duration[] DURATION_BUCKETS = {Duration.ofSeconds(1), Duration.ofSeconds(10),
        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(4)};
    private static final double[] MEMORY_BUCKETS = {64 * MB, 256 * MB, 1024 * MB, 4096 * MB, 16384 * MB};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Orchestrator orchestrator;
    private final MultiGauge tasks;

    ServerMetrics(Orchestrator orchestrator) {
        this.orchestrator = orchestrator;
        this.tasks = MultiGauge.builder("mayfly.tasks")
                .description("Tasks in the store by state, failure reason and mode (worker or in-process)")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        supervisorGauge("mayfly.workers.active", "Worker JVMs running a task now", SupervisorStats::active);
        supervisorGauge("mayfly.queue.length", "Tasks waiting for a worker", SupervisorStats::queued);
        supervisorGauge("mayfly.workers.spawned", "Worker JVMs the server tried to start", SupervisorStats::spawned);
        supervisorGauge("mayfly.workers.connected", "Worker JVMs that started and connected: over spawned, the spawn "
                + "success rate", SupervisorStats::connected);
        supervisorGauge("mayfly.workers.ready", "Worker JVMs started ahead of their tasks, connected and waiting for "
                + "one now", SupervisorStats::ready);
        supervisorGauge("mayfly.workers.found.ready", "Tasks that found a ready worker: over these and those started "
                + "cold, how often a task found one", SupervisorStats::foundReady);
        supervisorGauge("mayfly.workers.started.cold", "Tasks that started a worker JVM of their own",
                SupervisorStats::startedCold);
        Gauge.builder("mayfly.pool.size", orchestrator, o -> o.settings().maxWorkers())
                .description("Worker JVMs allowed at once (MAYFLY_MAX_WORKERS)").register(registry);
        Gauge.builder("mayfly.host.memory.available", orchestrator, o -> o.memory().host().availableMb() * MB)
                .baseUnit("bytes").description("The host's available memory").register(registry);
        Gauge.builder("mayfly.supervisor.resident", this, metrics -> residentBytes())
                .baseUnit("bytes").description("The server JVM's resident memory (RSS)").register(registry);
    }

    private void supervisorGauge(String name, String description, ToDoubleFunction<SupervisorStats> value) {
        Gauge.builder(name, orchestrator, o -> o.supervisorStarted() ? value.applyAsDouble(o.supervisor().stats()) : 0)
                .description(description).register(registry);
    }

    private static double residentBytes() {
        ProcFs.Resident resident = ProcFs.system().resident(ProcessHandle.current().pid());
        return resident == null ? Double.NaN : resident.rssKb() * 1024.0;
    }

    /**
     * A task this server ran has ended: its execution time and its peak memory (its process tree's,
     * else its heap's) go into histograms by how it ended and where it ran.
     */
    void ended(TaskResult result) {
        TaskOutcome outcome = result.outcome();
        String mode = result.routing() == null ? "unknown" : result.routing().mode().label();
        Tags tags = Tags.of("state", outcome.state().label(), "reason", outcome.reason() == null ? ""
                : outcome.reason().label(), "mode", mode);
        Timer.builder("mayfly.task.duration").description("How long the server's tasks ran")
                .serviceLevelObjectives(DURATION_BUCKETS).tags(tags).register(registry)
                .record(Duration.ofMillis(Math.max(0, outcome.executionTimeMs())));
        double peakMb = outcome.residentPeakMb() >= 0 ? outcome.residentPeakMb() : outcome.memoryPeakMb();
        if (peakMb >= 0) {
            DistributionSummary.builder("mayfly.task.memory.peak").baseUnit("bytes")
                    .description("The peak memory of the server's tasks: the process tree's, else the heap's")
                    .serviceLevelObjectives(MEMORY_BUCKETS).tags(Tags.of("mode", mode)).register(registry)
                    .record(peakMb * MB);
        }
    }

    /** The metrics now, in Prometheus' text format. */
    String scrape() {
        List<TaskStore.TaskCount> counts = orchestrator.store().taskCounts();
        tasks.register(counts.stream().map(count -> MultiGauge.Row.of(Tags.of("state", count.state().label(),
                "reason", count.reason() == null ? "" : count.reason().label(), "mode", count.mode().label()),
                count.count())).toList(), true);
        return registry.scrape();
    }
}
