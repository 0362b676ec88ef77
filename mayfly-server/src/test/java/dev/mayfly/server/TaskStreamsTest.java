package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.orchestrator.SupervisorLiveness;
import dev.mayfly.routing.Classification;
import dev.mayfly.routing.Mode;
import dev.mayfly.routing.RoutingDecision;
import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.NewTask;
import dev.mayfly.store.SqliteStore;
import dev.mayfly.store.SupervisorRecord;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskOutcome;
import dev.mayfly.task.TaskRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stream following a task sends its end when a task of this server's ends, not at its next look. */
class TaskStreamsTest {

    @TempDir
    Path folder;

    @Test
    void the_end_of_a_task_run_here_is_sent_at_once() throws Exception {
        Clock clock = Clock.systemUTC();
        try (JdbcTaskStore store = SqliteStore.open(folder.resolve("workers.db"))) {
            TaskRequest request = TaskRequest.builder("Fix it", AgentSpec.command(List.of("true"))).workDir(folder)
                    .limits(TaskLimits.of(64, Duration.ofMinutes(1))).build();
            RoutingDecision routing = new RoutingDecision(Mode.IN_PROCESS, new Classification(false, 0.1, "short"),
                    "short task", false);
            // This process is the task's supervisor, alive and beating: the task is running, not left behind.
            ProcessHandle self = ProcessHandle.current();
            store.registerSupervisor(SupervisorRecord.starting("supervisor-1", SupervisorLiveness.thisHost(), self.pid(),
                    self.info().startInstant().orElseThrow(), clock.instant(), Duration.ofHours(1)));
            Path log = Files.createFile(folder.resolve("task.log"));
            store.createTask(new NewTask("t-1", "supervisor-1", request, routing, log, clock.instant()));
            store.markRunning("t-1", null, clock.instant());
            TaskEnds ends = new TaskEnds();
            // A look an hour apart: only the signal can bring the end within the test's patience.
            TaskStreams streams = new TaskStreams(store, ends, clock, TimeUnit.HOURS.toMillis(1));
            List<String> sent = new CopyOnWriteArrayList<>();
            AtomicInteger looks = new AtomicInteger();
            CompletableFuture<Void> followed = CompletableFuture.runAsync(() -> {
                try {
                    streams.follow(store.findTask("t-1").orElseThrow(), null, new TaskStreams.Sink() {
                        @Override
                        public void send(String id, String type, Map<String, Object> data) {
                            sent.add(type);
                        }

                        @Override
                        public void looked() {
                            looks.incrementAndGet();
                        }
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> looks.get() == 1);

            store.finish("t-1", TaskOutcome.completed(0, 5, 0, 0, null), clock.instant());
            ends.ended();

            followed.get(30, TimeUnit.SECONDS);
            assertThat(sent).last().isEqualTo("end");
            assertThat(looks).hasValue(1);
        }
    }
}
