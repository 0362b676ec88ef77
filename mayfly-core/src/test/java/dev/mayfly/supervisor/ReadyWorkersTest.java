package dev.mayfly.supervisor;

import static dev.mayfly.support.TestSettings.alive;
import static dev.mayfly.support.TestSettings.javaAgent;
import static dev.mayfly.support.TestSettings.longTask;
import static dev.mayfly.support.TestSettings.marked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.config.Settings;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.support.MovableClock;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.TestPrograms;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.FailureReason;
import dev.mayfly.testagents.AllocatingAgent;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.task.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers started before their tasks (real worker JVMs, real Python tasks): a task takes a ready one
 * that fits, and its programs carry the task's mark all the same; one that does not fit starts its
 * own within the pool's limit; a server keeps as many ready as a burst asked for, and none once
 * idle; every ready worker ends with its supervisor.
 */
class ReadyWorkersTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Prints the mark its worker gave it, and the supervisor it names. */
    private static final AgentSpec PRINT_MARK = AgentSpec.command(List.of("python3", "-c",
            "import os; print('mark=' + os.environ.get('MAYFLY_TASK_ID', 'none') + ' supervisor='"
                    + " + os.environ.get('MAYFLY_SUPERVISOR_PID', 'none'))"));

    @TempDir
    Path home;

    private Path pidFile;

    @AfterEach
    void endTheGrandchildIfATestFailed() throws Exception {
        TestPrograms.endProcessIn(pidFile);
    }

    /** Where ready workers start before any task came: the supervisor's own working folder. */
    private final Path here = Path.of("").toAbsolutePath();

    @Test
    void a_task_takes_the_ready_worker_and_its_python_program_still_carries_the_task_s_mark() throws Exception {
        Settings settings = TestSettings.workersOn(home, "MAYFLY_MIN_WORKERS", "1");
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            Supervisor supervisor = fixture.orchestrator().supervisor();
            await().atMost(WAIT).until(() -> supervisor.stats().ready() == 1);
            List<Long> ready = workerJvms();
            assertThat(ready).hasSize(1);
            Instant submitted = Instant.now();

            TaskResult result = fixture.orchestrator().run(longTask(settings, PRINT_MARK, here, Duration.ofMinutes(1)));

            assertThat(result.outcome().state()).as("%s", result.outcome()).isEqualTo(TaskState.COMPLETED);
            assertThat(supervisor.stats().foundReady()).as("%s", fixture.console()).isEqualTo(1);
            assertThat(supervisor.stats().startedCold()).isZero();
            long pid = fixture.orchestrator().store().attempts().attempts(result.taskId()).get(0).pid();
            assertThat(pid).as("the task ran in the JVM that was ready before it").isEqualTo(ready.get(0));
            assertThat(result.outcome().resultJson()).contains("mark=" + result.taskId() + " supervisor="
                    + ProcessHandle.current().pid());
            assertThat(result.outcome().residentPeakMb()).as("its tree, the JVM and Python, was measured").isPositive();
            assertThat(submitted).isAfter(ProcessHandle.of(ready.get(0)).map(handle -> handle.info().startInstant()
                    .orElseThrow()).orElse(Instant.MIN));

            // The minimum holds: a fresh one is ready for the next task.
            await().atMost(WAIT).until(() -> supervisor.stats().ready() == 1);
            List<Long> next = workerJvms();
            assertThat(next).hasSize(1).doesNotContain(ready.get(0));

            fixture.close();
            assertThat(workerJvms()).as("ready workers end with their supervisor").isEmpty();
            assertThat(ProcessHandle.of(next.get(0)).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }

    /** The mark came with the task, not with the JVM: what detaches from its tree is still found by it. */
    @Test
    void a_detached_grandchild_of_a_task_in_a_ready_worker_is_found_by_its_mark_and_ended() throws Exception {
        Settings settings = TestSettings.workersOn(home, "MAYFLY_MIN_WORKERS", "1");
        pidFile = home.resolve("grandchild.pid");
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            Supervisor supervisor = fixture.orchestrator().supervisor();
            await().atMost(WAIT).until(() -> supervisor.stats().ready() == 1);

            TaskResult result = fixture.orchestrator().run(longTask(settings,
                    TestPrograms.agent(TestPrograms.python("detach.py", pidFile, 0, 600)), here, Duration.ofSeconds(3)));

            assertThat(supervisor.stats().foundReady()).as("%s", fixture.console()).isEqualTo(1);
            assertThat(result.outcome().reason()).as("%s", result.outcome()).isEqualTo(FailureReason.TIMED_OUT);
            long grandchild = Long.parseLong(Files.readString(pidFile).trim());
            await().atMost(Duration.ofSeconds(10)).until(() -> !alive(grandchild) && marked(result.taskId()).isEmpty());
            assertThat(fixture.orchestrator().store().attempts().attempts(result.taskId()).get(0).escaped()).isEqualTo(1);
        }
    }

    /** The production profile's heap dump and GC log, named before the task was known, end in the task's folder. */
    @Test
    void in_the_production_profile_a_ready_worker_s_heap_dump_and_gc_log_go_to_its_task_s_folder() throws Exception {
        Settings settings = TestSettings.workersOn(home, "MAYFLY_MIN_WORKERS", "1", "MAYFLY_PROFILE", "production",
                "MAYFLY_HEAP_MB", "32");
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            Supervisor supervisor = fixture.orchestrator().supervisor();
            await().atMost(WAIT).until(() -> supervisor.stats().ready() == 1);
            assertThat(entries(settings.home().resolve("workers"))).as("its own folder, named after this supervisor")
                    .singleElement().asString().startsWith(ProcessHandle.current().pid() + "-worker-");

            TaskResult result = fixture.orchestrator().run(longTask(settings, javaAgent(AllocatingAgent.class), here,
                    Duration.ofMinutes(1)));

            assertThat(supervisor.stats().foundReady()).isEqualTo(1);
            assertThat(result.outcome().reason()).as("%s", result.outcome()).isEqualTo(FailureReason.OUT_OF_MEMORY);
            Path taskFolder = Path.of(fixture.orchestrator().store().findTask(result.taskId()).orElseThrow().logPath())
                    .getParent();
            assertThat(taskFolder.resolve("heap.hprof")).isNotEmptyFile();
            assertThat(taskFolder.resolve("gc.log")).isNotEmptyFile();
        }
        assertThat(entries(settings.home().resolve("workers"))).as("nothing left once the supervisor closed").isEmpty();
    }

    private static List<String> entries(Path folder) throws Exception {
        try (var listed = Files.list(folder)) {
            return listed.map(path -> path.getFileName().toString()).toList();
        }
    }

    @Test
    void a_task_with_another_heap_cap_starts_its_own_worker_and_the_pool_stays_within_its_limit() throws Exception {
        Settings settings = TestSettings.workersOn(home, "MAYFLY_MIN_WORKERS", "1", "MAYFLY_MAX_WORKERS", "1");
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            Supervisor supervisor = fixture.orchestrator().supervisor();
            await().atMost(WAIT).until(() -> supervisor.stats().ready() == 1);
            TaskRequest bigger = TaskRequest.builder("Implement the test task", AgentSpec.command(List.of("python3", "-c",
                    "import time; print('started', flush=True); time.sleep(2)"))).complexity(0.8).workDir(here)
                    .limits(TaskLimits.of(256, Duration.ofMinutes(1))).build();

            CompletableFuture<TaskResult> running = fixture.orchestrator().submit(bigger);
            // Worker JVMs alive at once, looked at until the task ends: the ready one (128 MB) goes before the 256 MB one starts.
            AtomicInteger most = new AtomicInteger();
            List<String> seenAtMost = new ArrayList<>();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
                List<String> alive = workerJvmsDescribed();
                if (alive.size() > most.get()) {
                    most.set(alive.size());
                    seenAtMost.clear();
                    seenAtMost.addAll(alive);
                }
                return running.isDone();
            });
            TaskResult result = running.get();
            assertThat(most.get()).as("worker JVMs alive at once: %s", seenAtMost).isEqualTo(1);

            assertThat(result.outcome().state()).as("%s", result.outcome()).isEqualTo(TaskState.COMPLETED);
            assertThat(supervisor.stats().startedCold()).isEqualTo(1);
            assertThat(supervisor.stats().foundReady()).isZero();
            await().atMost(WAIT).until(() -> supervisor.stats().ready() == 1);
        }
    }

    @Test
    void a_server_keeps_as_many_ready_as_a_burst_asked_for_then_none_once_idle() throws Exception {
        Settings settings = TestSettings.workersOn(home, "MAYFLY_MAX_WORKERS", "4", "MAYFLY_STANDBY_IDLE", "1m");
        MovableClock clock = new MovableClock();
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings, null, clock)) {
            Orchestrator orchestrator = fixture.orchestrator();
            orchestrator.serving();
            assertThat(orchestrator.supervisorStarted()).as("no minimum: nothing to start yet").isFalse();

            assertThat(burst(orchestrator, settings, 3)).allMatch(result -> result.outcome().state() == TaskState.COMPLETED);
            Supervisor supervisor = orchestrator.supervisor();
            assertThat(supervisor.stats().startedCold()).isEqualTo(3);
            await().atMost(WAIT).until(() -> supervisor.stats().ready() == 3);
            assertThat(fixture.console()).as("the pool grew with the burst").contains(
                    "Worker pool: 1 JVM(s) (was 0), 0 of them ready for a task: 1 task in the last 1m (MAYFLY_STANDBY_IDLE)",
                    "Worker pool: 3 JVM(s) (was 2), 0 of them ready for a task: 3 tasks at once in the last 1m");

            assertThat(burst(orchestrator, settings, 3)).allMatch(result -> result.outcome().state() == TaskState.COMPLETED);
            assertThat(supervisor.stats().foundReady()).as("the second burst found them ready: %s", fixture.console()).isEqualTo(3);
            await().atMost(WAIT).until(() -> supervisor.stats().ready() == 3);

            clock.moveOn(Duration.ofMinutes(2));
            await().atMost(WAIT).until(() -> supervisor.stats().ready() == 0 && workerJvms().isEmpty());
            assertThat(fixture.console()).contains("Worker pool: 0 JVM(s) (was 3), 0 of them ready for a task: "
                    + "no task in the last 1m");
            // Counted once each is ended, which its JVM's exit may come before.
            await().atMost(WAIT).until(() -> supervisor.stats().retired() >= 3);
            assertThat(supervisor.stats().retired()).as("%s", fixture.console()).isEqualTo(3);
        }
    }

    /** {@code count} tasks submitted at once, each printing its mark; their results once all have ended. */
    private List<TaskResult> burst(Orchestrator orchestrator, Settings settings, int count) throws Exception {
        List<CompletableFuture<TaskResult>> submitted = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            submitted.add(orchestrator.submit(longTask(settings, PRINT_MARK, home, Duration.ofMinutes(1))));
        }
        List<TaskResult> results = new ArrayList<>();
        for (CompletableFuture<TaskResult> result : submitted) {
            results.add(result.get(2, TimeUnit.MINUTES));
        }
        return results;
    }

    /** The worker JVMs this test's supervisor has started that are alive now. */
    private static List<ProcessHandle> workerProcesses() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(child -> child.info().commandLine().orElse("").contains("dev.mayfly.worker.WorkerMain"))
                .toList();
    }

    private static List<Long> workerJvms() {
        return workerProcesses().stream().map(ProcessHandle::pid).toList();
    }

    /** Each worker JVM alive now: its pid, heap cap and start (a failure's message says which were together). */
    private static List<String> workerJvmsDescribed() {
        return workerProcesses().stream().map(child -> child.pid() + " " + Arrays.stream(child.info().commandLine()
                .orElse("").split(" ")).filter(option -> option.startsWith("-Xmx")).findFirst().orElse("?") + " started "
                + child.info().startInstant().map(Object::toString).orElse("?")).toList();
    }
}
