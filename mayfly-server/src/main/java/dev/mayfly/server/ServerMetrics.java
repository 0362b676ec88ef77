package dev.mayfly.server;

import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.process.ProcFs;
import dev.mayfly.store.TaskStore;
import dev.mayfly.supervisor.SupervisorStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * {@code GET /metrics}: Prometheus' text format through Micrometer. The tasks are counted from the
 * store at each scrape (every supervisor sharing the home counts, not only this one), the rest is
 * this server's: its pool and queue, the host's memory, its own heap and resident memory.
 */
final class ServerMetrics {

    private static final double MB = 1024.0 * 1024.0;

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
        supervisorGauge("mayfly.workers.spawned", "Workers started since the server started", SupervisorStats::spawned);
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

    /** The metrics now, in Prometheus' text format. */
    String scrape() {
        List<TaskStore.TaskCount> counts = orchestrator.store().taskCounts();
        tasks.register(counts.stream().map(count -> MultiGauge.Row.of(Tags.of("state", count.state().label(),
                "reason", count.reason() == null ? "" : count.reason().label(), "mode", count.mode().label()),
                count.count())).toList(), true);
        return registry.scrape();
    }
}
