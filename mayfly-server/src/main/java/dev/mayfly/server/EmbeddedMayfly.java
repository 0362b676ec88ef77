package dev.mayfly.server;

import dev.mayfly.client.Mayfly;
import dev.mayfly.client.MayflyClientException;
import dev.mayfly.client.TaskEvent;
import dev.mayfly.client.TaskSubmission;
import dev.mayfly.client.TaskView;
import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.errors.UsageException;
import dev.mayfly.json.Json;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.orchestrator.ControlClient;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.store.RecordJson;
import dev.mayfly.store.TaskRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * {@link Mayfly} with its supervisor inside the caller's JVM: the same durable queue, pool, worker
 * JVMs and memory limits as {@code mayfly serve}, without HTTP. Long tasks still run in worker JVMs
 * (their memory goes back when each ends); only short ones run in this JVM. Closing it stops its
 * tasks, running and queued (they end interrupted), as stopping a server does; if the JVM dies
 * instead, the next supervisor of the home (embedded or a server) runs the queued ones and settles
 * the running ones.
 */
public final class EmbeddedMayfly implements Mayfly {

    private final Orchestrator orchestrator;
    private final ExecutorService starter;
    private final ServerQueue queue;
    private final TaskStreams streams;
    private final Clock clock;

    private EmbeddedMayfly(Orchestrator orchestrator, ExecutorService starter, ServerQueue queue, Clock clock) {
        this.orchestrator = orchestrator;
        this.starter = starter;
        this.queue = queue;
        this.streams = new TaskStreams(orchestrator.store(), queue.taskEnds(), clock);
        this.clock = clock;
    }

    /**
     * A supervisor for {@code home} (its store, logs and task folders), with the other settings from
     * the environment as {@code mayfly} reads them (USE_WORKERS, MAYFLY_MAX_WORKERS, …). Its log
     * goes to the home's log file only.
     */
    public static EmbeddedMayfly start(Path home) {
        Settings settings = new SettingsReader(System.getenv(), Path.of("").toAbsolutePath())
                .read(SettingsReader.Flags.none().home(home.toAbsolutePath().toString()));
        return start(settings);
    }

    /** A supervisor with these settings. */
    public static EmbeddedMayfly start(Settings settings) {
        Clock clock = Clock.systemUTC();
        OrchestratorLog log;
        try {
            log = new OrchestratorLog(settings.logFile(), System.err, settings.logFormat(), false, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log " + settings.logFile() + ": " + e.getMessage(), e);
        }
        Orchestrator orchestrator = Orchestrator.start(settings, log, clock);
        // A service's supervisor lives as long as the service, and its tasks keep coming.
        orchestrator.serving();
        ExecutorService starter = Executors.newCachedThreadPool(MayflyServer.daemons("mayfly-start-"));
        ServerQueue queue = new ServerQueue(orchestrator, starter, result -> {}, log, clock);
        return new EmbeddedMayfly(orchestrator, starter, queue, clock);
    }

    @Override
    public TaskView submit(TaskSubmission task) {
        Map<String, Object> fields;
        try {
            // Through JSON, as a server reads them: a field means the same here as over HTTP.
            fields = new HashMap<>(Json.readObject(Json.write(task.fields())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return view(find(queue.submit(fields, TasksApi.workDir(fields.remove(TasksApi.WORK_DIR))).id()));
        } catch (UsageException e) {
            throw new MayflyClientException(400, e.getMessage());
        }
    }

    @Override
    public TaskView task(String taskId) {
        return view(find(taskId));
    }

    @Override
    public TaskView follow(String taskId, Consumer<TaskEvent> listener) throws InterruptedException {
        try {
            streams.follow(find(taskId), null, (id, type, data) -> listener.accept(new TaskEvent(id, type, data)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read task " + taskId + "'s log: " + e.getMessage(), e);
        }
        return task(taskId);
    }

    @Override
    public boolean cancel(String taskId) {
        TaskRecord task = orchestrator.store().requestCancel(taskId, clock.instant()).orElseThrow(() -> noTask(taskId));
        if (task.state().terminal()) {
            return false;
        }
        ControlClient.tellCancel(orchestrator.store(), task.supervisorId());
        return true;
    }

    /** Stops the running tasks (they end interrupted) and closes the store. */
    @Override
    public void close() {
        queue.close();
        starter.shutdownNow();
        orchestrator.close();
    }

    private TaskRecord find(String taskId) {
        return orchestrator.store().findTask(taskId).orElseThrow(() -> noTask(taskId));
    }

    private static MayflyClientException noTask(String taskId) {
        return new MayflyClientException(404, "no task '" + taskId + "'");
    }

    private static TaskView view(TaskRecord task) {
        Map<String, Object> json = RecordJson.json(task);
        json.put("result", Json.readOrText(task.resultJson()));
        return TaskView.of(json);
    }
}
