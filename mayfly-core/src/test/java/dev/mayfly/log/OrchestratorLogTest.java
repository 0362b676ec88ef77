package dev.mayfly.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The supervisor's log on Logback: the seeds' line shape, the console's two forms, rolling, the libraries' lines. */
class OrchestratorLogTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    @TempDir
    Path home;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private OrchestratorLog open(LogFormat format, boolean consoleInfo) throws Exception {
        OrchestratorLog log = new OrchestratorLog(home.resolve("logs/orchestrator.log"),
                new PrintStream(console, true, StandardCharsets.UTF_8), format, consoleInfo, Clock.fixed(T0, ZoneOffset.UTC));
        log.supervisorId("supervisor-1");
        return log;
    }

    private List<Map<String, Object>> fileLines() throws Exception {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : Files.readAllLines(home.resolve("logs/orchestrator.log"))) {
            lines.add(Json.readObject(line));
        }
        return lines;
    }

    @Test
    void every_line_reaches_the_file_in_the_seeds_shape_and_the_console_reads_well() throws Exception {
        try (OrchestratorLog log = open(LogFormat.TEXT, true)) {
            log.info(OrchestratorLog.ENTRY, "Using worker pattern for long-running task", "taskId", "task-1");
            log.warn(OrchestratorLog.SUPERVISOR, "Heap high", "taskId", "task-1", "tree", Map.of("processes", 3));
            log.debug(OrchestratorLog.SUPERVISOR, "memory_report", "taskId", "task-1");
        }

        List<Map<String, Object>> lines = fileLines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).keySet()).containsExactly("timestamp", "level", "component", "supervisorId", "message",
                "taskId");
        assertThat(lines.get(0)).containsEntry("timestamp", T0.toString()).containsEntry("level", "info")
                .containsEntry("component", "orchestrator-entry").containsEntry("supervisorId", "supervisor-1")
                .containsEntry("message", "Using worker pattern for long-running task");
        assertThat(lines.get(1)).containsEntry("level", "warn").containsEntry("tree", Map.of("processes", 3L));
        assertThat(lines.get(2)).containsEntry("level", "debug").containsEntry("message", "memory_report");
        assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo(
                "[Orchestrator Entry] Using worker pattern for long-running task\n[Supervisor] WARN: Heap high\n");
    }

    @Test
    void the_console_can_hold_warnings_only_or_the_file_s_json_and_is_never_closed_by_the_log() throws Exception {
        try (OrchestratorLog log = open(LogFormat.TEXT, false)) {
            log.info(OrchestratorLog.ENTRY, "Worker spawned: task-1");
            log.error(OrchestratorLog.ENTRY, "Could not record task-1");
        }
        assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo("[Orchestrator Entry] ERROR: Could not record task-1\n");

        console.reset();
        PrintStream shared = new PrintStream(console, true, StandardCharsets.UTF_8);
        try (OrchestratorLog log = new OrchestratorLog(home.resolve("logs/orchestrator.log"), shared, LogFormat.JSON,
                Clock.fixed(T0, ZoneOffset.UTC))) {
            log.info(OrchestratorLog.ENTRY, "Worker spawned: task-2", "taskId", "task-2");
        }
        assertThat(Json.readObject(console.toString(StandardCharsets.UTF_8).trim()))
                .containsEntry("message", "Worker spawned: task-2").containsEntry("taskId", "task-2");
        shared.println("still open");
        assertThat(shared.checkError()).isFalse();
        assertThat(console.toString(StandardCharsets.UTF_8)).endsWith("still open\n");
    }

    @Test
    void libraries_logging_through_slf4j_reach_the_file_from_warnings_up() throws Exception {
        try (OrchestratorLog log = open(LogFormat.TEXT, true)) {
            org.slf4j.Logger jgit = LoggerFactory.getLogger("org.eclipse.jgit.ignore.FastIgnoreRule");
            jgit.info("a detail nobody needs");
            jgit.warn("Exception caught while accessing pattern {}", "**/[");
        }

        List<Map<String, Object>> lines = fileLines();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).containsEntry("level", "warn").containsEntry("component", "org.eclipse.jgit.ignore.FastIgnoreRule")
                .containsEntry("supervisorId", "supervisor-1")
                .containsEntry("message", "Exception caught while accessing pattern **/[");
        assertThat(console.toString(StandardCharsets.UTF_8)).as("the libraries' lines stay off the console").isEmpty();
    }

    @Test
    void the_file_rolls_over_at_its_size_and_the_earlier_file_is_kept() throws Exception {
        String padding = "x".repeat(1000);
        try (OrchestratorLog log = open(LogFormat.TEXT, false)) {
            // Past 20 MB: write until the roll is seen.
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (int i = 0; i < 2000; i++) {
                    log.debug(OrchestratorLog.SUPERVISOR, padding);
                }
                return Files.exists(home.resolve("logs/orchestrator.log.1"));
            });
            log.info(OrchestratorLog.ENTRY, "after the roll");
        }
        assertThat(Files.size(home.resolve("logs/orchestrator.log.1"))).isGreaterThanOrEqualTo(20L * 1024 * 1024);
        assertThat(Files.size(home.resolve("logs/orchestrator.log"))).isLessThan(20L * 1024 * 1024);
        assertThat(Files.readString(home.resolve("logs/orchestrator.log"))).contains("after the roll");
    }
}
