package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mayfly top} in one process watching a standalone {@code mayfly run} in another, whose task
 * is a Python tree holding memory: the view shows it running with its tree's memory against its cap
 * and its processes, then ended.
 */
class TopProcessTest {

    /** Starts a second Python process, holds 80 MB, waits for the file 'go'. */
    private static final String PYTHON_TREE = "import os, subprocess, time\n"
            + "child = subprocess.Popen(['python3', '-c', 'import time; time.sleep(600)'])\n"
            + "held = bytearray(80 * 1024 * 1024)\n"
            + "print('holding', flush=True)\n"
            + "while not os.path.exists('go'):\n"
            + "    time.sleep(0.05)\n"
            + "child.kill()\n";
    private static final Pattern TASK_ID = Pattern.compile("task-[a-z0-9]+-[a-z0-9]+");

    @TempDir
    Path workDir;

    @Test
    void top_in_another_process_shows_a_standalone_run_s_python_tree_against_its_cap_then_its_end() throws Exception {
        Files.writeString(workDir.resolve("tree.py"), PYTHON_TREE);
        // The run's pool is its own (3 workers), not this home's default: only its supervisor knows it.
        try (MayflyProcess run = MayflyProcess.start(workDir, Map.of("MAYFLY_HEAP_MB", "64", "MAYFLY_MEMORY_MB", "2048",
                "MAYFLY_MEMORY_REPORT_INTERVAL", "300ms", "MAYFLY_MAX_WORKERS", "3"), "run", "--workers", "--complexity", "high", "--prompt",
                "Implement a wait", "--", "python3", "tree.py")) {
            // The running row, once a sample has the whole tree: the worker JVM and both Python processes.
            Pattern row = Pattern.compile("(task-\\S+)\\s+running\\s+worker\\s+\\S+ s…\\s+\\[[#.]+\\] (\\d+) MB / 2\\.0 GB\\s+\\d+%"
                    + "\\s+(\\d+)\\s+[0-9.]+ MB\\s+Implement a wait");
            // Its supervisor's row, from its control endpoint: one worker of its three, none ready (a one-shot run keeps
            // none), the task started its own; its heap and resident memory.
            Pattern supervisor = Pattern.compile("supervisor-\\S+\\s+" + run.process().pid() + "\\s+1 / 3\\s+0\\s+0% of 1\\s+"
                    + "0\\s+0\\s+\\d+ MB / [0-9.]+ [MG]B\\s+\\d+ MB");
            Matcher[] seen = new Matcher[1];
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                MayflyProcess.Result top = MayflyProcess.run(workDir, Map.of(), "top", "--once");
                assertThat(top.exitCode()).as(top.stderr()).isZero();
                Matcher matcher = row.matcher(top.stdout());
                seen[0] = matcher;
                // The supervisor's row too: its endpoint opens a second after its start.
                return matcher.find() && Integer.parseInt(matcher.group(3)) >= 3 && Integer.parseInt(matcher.group(2)) >= 80
                        && supervisor.matcher(top.stdout()).find();
            });
            String id = seen[0].group(1);

            Files.writeString(workDir.resolve("go"), "");
            MayflyProcess.Result ended = run.awaitExit();
            assertThat(ended.exitCode()).as(ended.stderr()).isZero();
            assertThat(taskId(ended.stdout())).isEqualTo(id);
        }
        MayflyProcess.Result after = MayflyProcess.run(workDir, Map.of(), "top", "--once");
        assertThat(after.stdout()).contains("No supervisor running.", "Nothing running or queued.", "ENDED LATELY")
                .containsPattern("task-\\S+\\s+completed\\s+worker\\s+\\S+ s\\s+\\[[#.]+\\] \\d+ MB / 2\\.0 GB");
    }

    @Test
    void at_a_terminal_top_draws_again_until_ctrl_c_and_a_bad_interval_is_refused() throws Exception {
        Files.createDirectories(workDir.resolve(".mayfly"));
        MayflyProcess.run(workDir, Map.of(), "run", "--prompt", "x", "--", "true");
        try (MayflyProcess top = MayflyProcess.startInTerminal(workDir, Map.of(), "top", "--interval", "200ms")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> top.stdoutSoFar().split("\033\\[H\033\\[2J", -1).length > 3);

            top.type("\u0003");

            assertThat(top.awaitExit().exitCode()).isEqualTo(130);
        }

        MayflyProcess.Result bad = MayflyProcess.run(workDir, Map.of(), "top", "--interval", "5ms");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("invalid --interval '5ms': expected a duration such as");
    }

    private static String taskId(String output) {
        Matcher matcher = TASK_ID.matcher(output);
        assertThat(matcher.find()).as(output).isTrue();
        return matcher.group();
    }
}
