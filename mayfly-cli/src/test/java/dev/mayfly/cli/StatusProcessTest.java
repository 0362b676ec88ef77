package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.json.Json;
import dev.mayfly.support.TestSettings;
import dev.mayfly.testagents.AllocatingAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `mayfly status` on a store holding a completed, a failed and an out-of-memory task, made by real runs. */
class StatusProcessTest {

    @TempDir
    static Path workDir;

    private static final Map<String, String> environment =
            Map.of("USE_WORKERS", "true", "MAYFLY_MEMORY_REPORT_INTERVAL", "100ms");
    private static String completed;
    private static String failed;
    private static String outOfMemory;

    private static String run(String... args) throws Exception {
        MayflyProcess.Result result = MayflyProcess.run(workDir, environment, args);
        return Json.readObject(result.stdout().trim()).get("taskId").toString();
    }

    @BeforeAll
    static void makeTasks() throws Exception {
        completed = run("run", "--json", "--heap-mb", "64", "--agent", "probe", "--prompt", "Implement a probe");
        failed = run("run", "--json", "--prompt", "Fix the build", "--", "sh", "-c", "echo compiling; echo broken >&2; exit 3");
        outOfMemory = run("run", "--json", "--heap-mb", "64", "--prompt", "Implement a memory hog", "--param", "pauseMs=15",
                "--agent", "java:" + AllocatingAgent.class.getName(), "--classpath", TestSettings.testClasses().toString());
    }

    private MayflyProcess.Result status(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "status";
        System.arraycopy(args, 0, command, 1, args.length);
        return MayflyProcess.run(workDir, environment, command);
    }

    @Test
    void the_table_lists_recent_tasks_newest_first() throws Exception {
        MayflyProcess.Result result = status();

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        List<String> lines = result.stdout().lines().toList();
        assertThat(lines.get(0)).startsWith("ID").contains("STATE", "REASON", "MODE", "AGENT", "ELAPSED", "PEAK MEM", "CAP",
                "PROMPT");
        assertThat(lines.get(1)).startsWith(outOfMemory).contains("failed", "out_of_memory", "worker", "Implement a memory hog");
        assertThat(lines.get(2)).startsWith(failed).contains("failed", "error", "in-process", "command:sh -c", "Fix the build");
        assertThat(lines.get(3)).startsWith(completed).contains("completed", "worker", "probe", " MB", "8192 MB");
    }

    @Test
    void an_out_of_memory_task_shows_its_heap_climbing_to_the_cap_and_the_jvm_s_last_words() throws Exception {
        String detail = status(outOfMemory).stdout();

        assertThat(detail).contains("Task " + outOfMemory + ": failed (out_of_memory)\n", "the JVM exited with code 3",
                "heap cap 64 MB", "memory cap 8192 MB (watched)", "task_queued", "task_running", "task_failed",
                "Memory over time", "# process tree", ": worker heap in use", "Terminating due to java.lang.OutOfMemoryError");
        // The heap (:) fills the lower rows, the rest of the worker's tree (#) is above it.
        assertThat(detail).containsPattern("\\| *:+").containsPattern("\\| *#+");
    }

    @Test
    void a_failed_task_shows_its_error_and_the_end_of_its_log() throws Exception {
        String detail = status(failed).stdout();

        assertThat(detail).contains("failed (error), exit code 3", "error:     sh exited with code 3: broken",
                "in-process: task is short-running", "compiling", "broken", "Result\n  (none)");
    }

    @Test
    void a_completed_task_in_json_carries_its_result_events_and_samples() throws Exception {
        Map<String, Object> json = Json.readObject(status(completed, "--json").stdout());

        assertThat(json).containsEntry("taskId", completed).containsEntry("state", "completed").containsEntry("mode", "worker");
        assertThat(((Map<?, ?>) json.get("result")).get("pid")).isEqualTo(json.get("pid"));
        List<String> types = ((List<?>) json.get("events")).stream().map(event -> String.valueOf(((Map<?, ?>) event).get("type")))
                .toList();
        assertThat(types).containsExactly("task_queued", "memory_cap", "task_running", "task_completed");
        assertThat(json).containsKeys("memorySamples", "logTail", "heapDump", "routingReason", "folder", "attemptHistory");
        assertThat(json).containsEntry("memoryCapMb", 8192L);
        assertThat((Double) json.get("residentPeakMb")).isPositive();
    }

    @Test
    void filters_select_by_state_and_time() throws Exception {
        assertThat(status("--state", "failed").stdout().lines().count()).isEqualTo(3);
        assertThat(status("--state", "completed", "--json").stdout()).contains(completed).doesNotContain(failed);
        assertThat(status("--since", "1h").stdout().lines().count()).isEqualTo(4);
        assertThat(status("--since", "2099-01-01T00:00:00Z").stdout()).isEqualTo("No tasks match.\n");
        String one = status("--limit", "1").stdout();
        assertThat(one.lines().count()).as(one).isEqualTo(2);
    }

    @Test
    void bad_filters_and_unknown_tasks_are_usage_errors() throws Exception {
        MayflyProcess.Result state = status("--state", "done");
        assertThat(state.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(state.stderr()).startsWith("mayfly: invalid --state 'done': expected queued, running, completed, failed or cancelled");
        assertThat(status("--since", "yesterday").stderr()).startsWith("mayfly: invalid --since 'yesterday'");
        MayflyProcess.Result unknown = status("task-nope");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.stderr()).startsWith("mayfly: no task 'task-nope' in ");
    }

    @Test
    void status_without_a_store_says_so_and_creates_nothing(@TempDir Path empty) throws Exception {
        MayflyProcess.Result result = MayflyProcess.run(empty, Map.of(), "status");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.stdout()).startsWith("No tasks yet: there is no store at ");
        assertThat(Files.exists(empty.resolve(".mayfly"))).isFalse();
    }
}
