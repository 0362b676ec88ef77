package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mayfly.client.Mayfly;
import dev.mayfly.client.MayflyClientException;
import dev.mayfly.client.TaskEvent;
import dev.mayfly.client.TaskSubmission;
import dev.mayfly.client.TaskView;
import dev.mayfly.process.ProcFs;
import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Mayfly} does, whether it is a client of a server process or a supervisor embedded
 * in this JVM: Python programs as agents, run in worker JVMs, followed live, cancelled with their
 * whole process tree.
 */
abstract class MayflyContract {

    /** Prints a line, waits until the file 'go' appears, prints another. */
    private static final String PYTHON_GATED = "import os, time\n"
            + "print('started', flush=True)\n"
            + "while not os.path.exists('go'):\n"
            + "    time.sleep(0.05)\n"
            + "print('done')\n";
    /** A Python program that starts a second one and waits; both write their pids. */
    private static final String PYTHON_TREE = "import os, subprocess, time\n"
            + "child = subprocess.Popen(['python3', '-c', 'import time; time.sleep(600)'])\n"
            + "open('pids.txt', 'w').write(f'{os.getpid()} {child.pid}')\n"
            + "time.sleep(600)\n";
    /** The supervisor's settings, as environment variables. */
    static final Map<String, String> SETTINGS = Map.of("MAYFLY_GRACE_PERIOD", "1s", "MAYFLY_HEAP_MB", "64");

    @TempDir
    Path workDir;

    /** The Mayfly under test, for the home {@code workDir/.mayfly}, with {@link #SETTINGS}. */
    abstract Mayfly mayfly();

    private TaskSubmission python(String script) throws Exception {
        Files.writeString(workDir.resolve("script.py"), script);
        return TaskSubmission.builder("Implement it").command(List.of("python3", "script.py")).workers(true)
                .complexity("high").workDir(workDir).build();
    }

    @Test
    void a_python_task_is_followed_live_and_ends_completed_with_its_result() throws Exception {
        TaskView submitted = mayfly().submit(python(PYTHON_GATED));
        assertThat(submitted.state()).isEqualTo("queued");
        assertThat(submitted.mode()).isEqualTo("worker");
        List<TaskEvent> events = new CopyOnWriteArrayList<>();
        CompletableFuture<TaskView> followed = CompletableFuture.supplyAsync(() -> {
            try {
                return mayfly().follow(submitted.taskId(), events::add);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        // The first line arrives while the program still waits: live, not at the end.
        await().atMost(Duration.ofSeconds(60)).until(() -> events.stream().anyMatch(event -> event.type().equals(
                TaskEvent.LOG) && event.data().get("line").toString().contains("started")));
        assertThat(followed).isNotDone();
        assertThat(mayfly().task(submitted.taskId()).state()).isEqualTo("running");
        Files.createFile(workDir.resolve("go"));

        TaskView ended = followed.get();
        assertThat(ended.state()).isEqualTo("completed");
        assertThat(ended.result()).isEqualTo(Map.of("exitCode", 0L, "output", "started\ndone\n"));
        assertThat(ended.executionTimeMs()).isPositive();
        assertThat(ended.memoryCapMb()).isNotNull();
        assertThat(events).extracting(TaskEvent::type).contains("task_queued", "task_running", "task_completed")
                .endsWith(TaskEvent.END);
        assertThat(events.get(events.size() - 1).data()).containsEntry("state", "completed");
        assertThat(mayfly().await(submitted.taskId(), Duration.ofSeconds(5))).isEqualTo(mayfly().task(submitted.taskId()));
    }

    @Test
    void cancel_stops_the_task_s_whole_python_tree_and_it_ends_cancelled() throws Exception {
        TaskView task = mayfly().submit(python(PYTHON_TREE));
        Path pidFile = workDir.resolve("pids.txt");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pidFile) && Files.readString(pidFile).contains(" "));
        List<Long> pids = java.util.Arrays.stream(Files.readString(pidFile).trim().split(" ")).map(Long::parseLong).toList();

        assertThat(mayfly().cancel(task.taskId())).isTrue();

        TaskView ended = mayfly().await(task.taskId(), Duration.ofSeconds(60));
        assertThat(ended.state()).isEqualTo("cancelled");
        for (long pid : pids) {
            assertThat(ProcFs.system().alive(pid)).as("process %d of the task", pid).isFalse();
        }
        assertThat(mayfly().cancel(task.taskId())).as("an ended task").isFalse();
    }

    @Test
    void a_bad_field_is_refused_naming_it_and_nothing_is_stored() {
        TaskSubmission bad = TaskSubmission.builder("Fix it").agent("command:true").heapMb(5).build();

        assertThatThrownBy(() -> mayfly().submit(bad)).isInstanceOfSatisfying(MayflyClientException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).startsWith("invalid heapMb '5'");
        });
        assertThatThrownBy(() -> mayfly().task("task-nope")).isInstanceOfSatisfying(MayflyClientException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        try (JdbcTaskStore store = SqliteStore.open(workDir.resolve(".mayfly").resolve("workers.db"))) {
            assertThat(store.recentTasks(10)).isEmpty();
        }
    }
}
