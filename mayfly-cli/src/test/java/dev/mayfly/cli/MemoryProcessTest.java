package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.json.Json;
import dev.mayfly.process.ProcFs;
import dev.mayfly.process.TaskMark;
import dev.mayfly.store.AttemptRecord;
import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.SqliteStore;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.support.TestPrograms;
import dev.mayfly.task.FailureReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The process tree's memory as a user meets it: `mayfly run` with real Python programs, Ctrl-C, `--json`, `validate`. */
class MemoryProcessTest {

    @TempDir
    Path workDir;

    private Path pidFile;

    @AfterEach
    void endTheGrandchildIfATestFailed() throws Exception {
        TestPrograms.endProcessIn(pidFile);
    }

    private static String[] run(boolean workers, List<String> command, String... options) {
        List<String> args = new ArrayList<>(List.of("run", workers ? "--workers" : "--no-workers", "--prompt",
                "Implement a detached helper"));
        args.addAll(List.of(options));
        args.add("--");
        args.addAll(command);
        return args.toArray(String[]::new);
    }

    private TaskRecord onlyTask() {
        try (JdbcTaskStore store = SqliteStore.open(workDir.resolve(".mayfly/workers.db"))) {
            return store.recentTasks(1).get(0);
        }
    }

    @ParameterizedTest(name = "workers {0}")
    @ValueSource(booleans = {true, false})
    void ctrl_c_ends_a_grandchild_that_detached_itself_and_records_it(boolean workers) throws Exception {
        pidFile = workDir.resolve("grandchild.pid");
        try (MayflyProcess mayfly = MayflyProcess.start(workDir, Map.of("MAYFLY_GRACE_PERIOD", "1s", "MAYFLY_HEAP_MB", "128"),
                run(workers, TestPrograms.python("detach.py", pidFile, 0, 600)))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pidFile));
            long grandchild = Long.parseLong(Files.readString(pidFile).trim());

            new ProcessBuilder("kill", "-INT", Long.toString(mayfly.process().pid())).start().waitFor();
            MayflyProcess.Result result = mayfly.awaitExit();

            assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.INTERRUPTED);
            await().atMost(Duration.ofSeconds(10)).until(() -> !ProcFs.system().alive(grandchild));
            TaskRecord task = onlyTask();
            assertThat(task.reason()).isEqualTo(FailureReason.INTERRUPTED);
            assertThat(ProcFs.system().processesWith(new TaskMark(task.id()).entry())).isEmpty();
            try (JdbcTaskStore store = SqliteStore.open(workDir.resolve(".mayfly/workers.db"))) {
                List<AttemptRecord> attempts = store.attempts().attempts(task.id());
                assertThat(attempts.get(0).escaped()).isEqualTo(1);
                assertThat(store.events(task.id())).anySatisfy(event -> assertThat(event.dataJson())
                        .contains("\"count\":1", Long.toString(grandchild)));
            }
            assertThat(result.stderr()).contains("1 process(es) had left its process tree; all ended: " + grandchild);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"run", "batch"})
    void ctrl_c_in_a_terminal_ends_a_command_s_background_child_in_a_worker(String command) throws Exception {
        pidFile = workDir.resolve("child.pid");
        String program = "sleep 120 & echo $! > " + pidFile + "; sleep 121";
        String[] args;
        if (command.equals("run")) {
            args = new String[] {"run", "--workers", "--complexity", "high", "--prompt", "Implement a wait", "--", "sh",
                "-c", program};
        } else {
            Path batch = workDir.resolve("tasks.jsonl");
            Files.writeString(batch, "{\"prompt\": \"Implement a wait\", \"complexity\": \"high\", \"workers\": true, "
                    + "\"agent\": \"command:sh -c '" + program + "'\"}\n");
            args = new String[] {"batch", batch.toString()};
        }
        try (MayflyProcess mayfly = MayflyProcess.startInOwnGroup(workDir, Map.of("MAYFLY_GRACE_PERIOD", "1s",
                "MAYFLY_HEAP_MB", "128"), args)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pidFile)
                    && !Files.readString(pidFile).isBlank());
            long child = Long.parseLong(Files.readString(pidFile).trim());

            // The worker JVM and sh die of the SIGINT; the background sleep ignores it (sh starts it so).
            mayfly.interruptGroup();
            MayflyProcess.Result result = mayfly.awaitExit();

            assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.INTERRUPTED);
            await().atMost(Duration.ofSeconds(10)).until(() -> !ProcFs.system().alive(child));
            assertThat(onlyTask().reason()).isEqualTo(FailureReason.INTERRUPTED);
        }
    }

    @Test
    void run_json_carries_the_tree_s_peak_and_cap_and_says_null_where_nothing_is_measured() throws Exception {
        MayflyProcess.Result command = MayflyProcess.run(workDir, Map.of(), "run", "--json", "--no-workers", "--memory-mb",
                "700", "--prompt", "Hold some memory", "--", "python3", "-c",
                "import time; x = b'1' * (100 << 20); time.sleep(0.5)");
        MayflyProcess.Result java = MayflyProcess.run(workDir, Map.of(), "run", "--json", "--no-workers", "--agent", "probe",
                "--prompt", "Probe it");

        Map<String, Object> held = Json.readObject(command.stdout().trim());
        assertThat(held).containsEntry("status", "completed").containsEntry("memoryCapMb", 700L)
                .containsEntry("memoryPeakMb", null);
        assertThat((Double) held.get("residentPeakMb")).isBetween(100.0, 140.0);
        Map<String, Object> probe = Json.readObject(java.stdout().trim());
        assertThat(probe).containsEntry("status", "completed").containsEntry("memoryPeakMb", null)
                .containsEntry("residentPeakMb", null).containsEntry("memoryCapMb", null);
    }

    @Test
    void validate_says_how_caps_are_enforced_here_and_what_the_host_has() throws Exception {
        MayflyProcess.Result result = MayflyProcess.run(workDir, Map.of(), "validate");

        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(result.stdout()).containsPattern("✅ Memory: caps watched: cgroup v2 is not delegated here: .*; a worker "
                + "holding 160 MB was ended at its 96 MB cap \\(peak \\d+ MB\\) in \\d+ ms; host: MemAvailable .*; reserve \\d+ "
                + "MB, floor \\d+ MB, default cap 8192 MB");
        assertThat(result.stdout()).contains("ALL VALIDATIONS PASSED");
    }
}
