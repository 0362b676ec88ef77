package dev.mayfly.supervisor;

import static dev.mayfly.support.TestSettings.javaAgent;
import static dev.mayfly.support.TestSettings.longTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.task.TaskState;
import dev.mayfly.testagents.SleepingAgent;
import dev.mayfly.worker.WorkerMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorPoolTest {

    @TempDir
    Path home;

    /** Worker JVMs that are children of this test JVM right now. */
    private static long aliveWorkers() {
        return ProcessHandle.current().children()
                .filter(child -> child.info().arguments().map(List::of).orElse(List.of()).contains(WorkerMain.class.getName()))
                .count();
    }

    @Test
    void eight_tasks_with_max_workers_2_never_have_more_than_2_worker_jvms_alive_and_all_complete() throws Exception {
        AtomicInteger mostAlive = new AtomicInteger();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                mostAlive.accumulateAndGet((int) aliveWorkers(), Math::max);
                // A look every millisecond: often enough to see every overlap of 400 ms tasks,
                // without taking one of the machine's two cores from the workers.
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }, "worker-count-watcher");
        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home, "MAYFLY_MAX_WORKERS", "2"))) {
            watcher.start();
            List<CompletableFuture<TaskResult>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(fixture.orchestrator().submit(
                        longTask(javaAgent(SleepingAgent.class), home, Map.of("millis", "400"), Duration.ofMinutes(2))));
            }
            for (CompletableFuture<TaskResult> result : results) {
                assertThat(result.get().outcome().state()).as("%s", result.get().outcome()).isEqualTo(TaskState.COMPLETED);
            }
            watching.set(false);
            watcher.join();

            assertThat(mostAlive.get()).isEqualTo(2);
            SupervisorStats stats = fixture.orchestrator().supervisor().stats();
            assertThat(stats.spawned()).isEqualTo(8);
            assertThat(stats.connected()).as("each spawn succeeded").isEqualTo(8);
            assertThat(stats.completed()).isEqualTo(8);
            // The store agrees: at no moment did more than two tasks run.
            List<TaskRecord> tasks = fixture.orchestrator().store().recentTasks(8);
            assertThat(mostOverlapping(tasks)).isLessThanOrEqualTo(2);
        } finally {
            watching.set(false);
        }
    }

    private static int mostOverlapping(List<TaskRecord> tasks) {
        List<long[]> edges = new ArrayList<>();
        for (TaskRecord task : tasks) {
            edges.add(new long[] {task.startedAt().toEpochMilli(), 1});
            edges.add(new long[] {task.finishedAt().toEpochMilli(), -1});
        }
        edges.sort(Comparator.<long[]>comparingLong(edge -> edge[0]).thenComparingLong(edge -> edge[1]));
        int running = 0;
        int most = 0;
        for (long[] edge : edges) {
            running += (int) edge[1];
            most = Math.max(most, running);
        }
        return most;
    }

    @Test
    void a_higher_priority_task_leaves_the_queue_first() throws Exception {
        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home, "MAYFLY_MAX_WORKERS", "1"))) {
            // The first task holds the only slot while the others queue up.
            CompletableFuture<TaskResult> blocker = fixture.orchestrator().submit(
                    longTask(javaAgent(SleepingAgent.class), home, Map.of("millis", "1500"), Duration.ofMinutes(1)));
            org.awaitility.Awaitility.await().until(() -> fixture.orchestrator().supervisor().stats().active() == 1);
            List<CompletableFuture<TaskResult>> queued = new ArrayList<>();
            for (int priority : new int[] {0, 5, 1, 9}) {
                TaskRequest request = TaskRequest.builder("Implement p" + priority, javaAgent(SleepingAgent.class))
                        .params(Map.of("millis", "10")).complexity(0.8).workDir(home)
                        .limits(TaskLimits.of(128, Duration.ofMinutes(1))).priority(priority).build();
                queued.add(fixture.orchestrator().submit(request));
            }
            blocker.get();
            for (CompletableFuture<TaskResult> result : queued) {
                result.get();
            }
            List<String> order = fixture.orchestrator().store().recentTasks(5).stream()
                    .filter(task -> task.prompt().startsWith("Implement p"))
                    .sorted(Comparator.comparing(TaskRecord::startedAt))
                    .map(TaskRecord::prompt)
                    .collect(Collectors.toList());
            assertThat(order).containsExactly("Implement p9", "Implement p5", "Implement p1", "Implement p0");
        }
    }

    @Test
    void a_full_queue_refuses_the_task_without_storing_it() throws Exception {
        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home,
                "MAYFLY_MAX_WORKERS", "1", "MAYFLY_QUEUE_CAPACITY", "1"))) {
            TaskRequest slow = longTask(javaAgent(SleepingAgent.class), home, Map.of("millis", "3000"), Duration.ofMinutes(1));
            fixture.orchestrator().submit(slow);
            org.awaitility.Awaitility.await().until(() -> fixture.orchestrator().supervisor().stats().active() == 1);
            fixture.orchestrator().submit(slow);

            assertThatThrownBy(() -> fixture.orchestrator().submit(slow))
                    .isInstanceOf(QueueFullException.class)
                    .hasMessageContaining("1 tasks waiting and 1 running")
                    .hasMessageContaining("MAYFLY_QUEUE_CAPACITY");
            assertThat(fixture.orchestrator().store().recentTasks(10)).hasSize(2);
        }
    }
}
