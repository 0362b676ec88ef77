package dev.mayfly.llm.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.mayfly.agent.RunningTask;
import dev.mayfly.json.Json;
import dev.mayfly.process.ProcFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each tool on real files and programs, through the tool box as the agent calls them. */
class ToolsTest {

    @TempDir
    Path dir;

    private Path root;
    private Workspace workspace;
    private ToolBox tools;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(dir.resolve("ws"));
        workspace = new Workspace(root);
        RunningTask task = new RunningTask("t-1", "Implement it", Map.of(), root, root, (message, fraction) -> { });
        tools = ToolBox.forWorkspace(workspace, Duration.ofSeconds(30), Set.of("MAYFLY_TEST_HIDDEN", "HOME"), task);
    }

    private ToolBox.Outcome call(String tool, Map<String, Object> arguments) {
        return tools.execute(ToolExecutionRequest.builder().id("c1").name(tool).arguments(Json.write(arguments)).build(),
                100_000);
    }

    private ToolBox.Outcome call(String tool, Map<String, Object> arguments, int maxChars) {
        return tools.execute(ToolExecutionRequest.builder().id("c1").name(tool).arguments(Json.write(arguments)).build(),
                maxChars);
    }

    @Test
    void theWorkspaceRefusesEveryWayOut() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(root.resolve("out"), outside);
        Files.createSymbolicLink(root.resolve("dangling"), dir.resolve("nowhere"));
        Files.createDirectories(root.resolve("src"));

        for (String path : List.of("..", "../outside/x", "src/../../outside", "/etc/passwd", outside.toString(), "out",
                "out/new.txt", "dangling", "dangling/x")) {
            assertThatThrownBy(() -> workspace.resolve(path)).as(path).isInstanceOf(ToolException.class)
                    .hasMessageContaining("is outside the workspace");
        }
        assertThat(workspace.resolve("src/../a.txt")).isEqualTo(root.toRealPath().resolve("a.txt"));
        assertThat(workspace.resolve(root.toRealPath().resolve("src/new/b.txt").toString()))
                .isEqualTo(root.toRealPath().resolve("src/new/b.txt"));
        assertThat(workspace.relative(workspace.resolve("."))).isEqualTo(".");
    }

    @Test
    void readPagesALongFileByOffsetsAndCutsLongLines() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 2500; i++) {
            text.append(i == 7 ? "x".repeat(5000) : "line " + i).append('\n');
        }
        Files.writeString(root.resolve("long.txt"), text);

        String first = call("read_file", Map.of("path", "long.txt")).text();
        assertThat(first).contains("     1\tline 1\n").contains("  2000\tline 2000\n").doesNotContain("line 2001")
                .endsWith("(lines 1-2000 of 2500; continue with offset 2001)");
        assertThat(first).contains("x".repeat(2000) + " [line cut at 2000 characters]").doesNotContain("x".repeat(2001));
        String rest = call("read_file", Map.of("path", "long.txt", "offset", 2001)).text();
        assertThat(rest).startsWith("  2001\tline 2001\n").endsWith("(lines 2001-2500 of 2500, end of file)");
        String page = call("read_file", Map.of("path", "long.txt", "offset", 10, "limit", 3)).text();
        assertThat(page).isEqualTo("    10\tline 10\n    11\tline 11\n    12\tline 12\n(lines 10-12 of 2500; continue with offset 13)");
        // A smaller result limit ends the page sooner, and says where to go on.
        String small = call("read_file", Map.of("path", "long.txt", "offset", 100), 1000).text();
        assertThat(small.length()).isLessThanOrEqualTo(1000);
        assertThat(small).matches("(?s).*\\(lines 100-\\d+ of 2500; continue with offset \\d+\\)");
        assertThat(call("read_file", Map.of("path", "long.txt", "offset", 3000)).text())
                .isEqualTo("long.txt has 2500 lines; offset 3000 is past its end");
        assertThat(call("read_file", Map.of("path", "long.txt", "limit", 2001)).text())
                .isEqualTo("error: argument 'limit' must be a whole number from 1 to 2000, not 2001");
    }

    @Test
    void readSaysWhatIsWrongWithAPath() throws Exception {
        Files.createDirectories(root.resolve("folder"));
        Files.write(root.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1});

        assertThat(call("read_file", Map.of("path", "missing.txt")).text()).isEqualTo("error: missing.txt does not exist");
        assertThat(call("read_file", Map.of("path", "folder")).text()).contains("is a folder");
        assertThat(call("read_file", Map.of("path", "image.png")).text()).isEqualTo("image.png is a binary file of 7 bytes; not shown");
        assertThat(call("read_file", Map.of()).text()).isEqualTo("error: argument 'path' is required and must be a string");
        assertThat(tools.execute(ToolExecutionRequest.builder().id("c").name("read_file").arguments("{not json").build(),
                1000).text()).startsWith("error: the arguments are not a JSON object");
        assertThat(call("delete_everything", Map.of()).ok()).isFalse();
    }

    @Test
    void searchFindsTextAndPatternsSkippingBinariesAndGit() throws Exception {
        Files.createDirectories(root.resolve("src"));
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve("src/A.java"), "class A {\n  // TODO: rename\n  int todo = 1;\n}\n");
        Files.writeString(root.resolve("src/B.java"), "class B {}\n");
        Files.writeString(root.resolve(".git/config"), "TODO in git\n");
        Files.write(root.resolve("blob.bin"), new byte[] {'T', 'O', 'D', 'O', 0});

        assertThat(call("search_text", Map.of("pattern", "TODO")).text())
                .isEqualTo("src/A.java:2: // TODO: rename\n(1 matching lines in 2 file(s))");
        assertThat(call("search_text", Map.of("pattern", "todo", "ignore_case", true, "path", "src")).text())
                .contains("src/A.java:2:", "src/A.java:3:");
        assertThat(call("search_text", Map.of("pattern", "class [AB]", "regex", true, "max_results", 1)).text())
                .contains("stopped at 1 matching lines");
        assertThat(call("search_text", Map.of("pattern", "(", "regex", true)).text())
                .startsWith("error: pattern is not a regular expression");
        assertThat(call("search_text", Map.of("pattern", "nothing here")).text()).startsWith("no lines match");
    }

    @Test
    void writeAndEditChangeFilesOnlyWhereMeant() throws Exception {
        assertThat(call("write_file", Map.of("path", "a/b/c.txt", "content", "one\ntwo\ntwo\n")).text())
                .isEqualTo("created a/b/c.txt (12 bytes)");

        assertThat(call("edit_file", Map.of("path", "a/b/c.txt", "old_text", "two", "new_text", "2")).text())
                .isEqualTo("error: old_text occurs 2 times in a/b/c.txt; include more surrounding text to make it unique, "
                        + "or set replace_all");
        assertThat(call("edit_file", Map.of("path", "a/b/c.txt", "old_text", "three", "new_text", "3")).text())
                .startsWith("error: old_text was not found");
        assertThat(root.resolve("a/b/c.txt")).hasContent("one\ntwo\ntwo");
        assertThat(call("edit_file", Map.of("path", "a/b/c.txt", "old_text", "one\n", "new_text", "1\n")).text())
                .isEqualTo("replaced 1 occurrence in a/b/c.txt");
        assertThat(call("edit_file", Map.of("path", "a/b/c.txt", "old_text", "two", "new_text", "2", "replace_all", true))
                .text()).isEqualTo("replaced 2 occurrence(s) in a/b/c.txt");
        assertThat(root.resolve("a/b/c.txt")).hasContent("1\n2\n2");
        assertThat(call("edit_file", Map.of("path", "new.txt", "old_text", "x", "new_text", "y")).text())
                .contains("does not exist; write_file creates files");
    }

    @Test
    void runCommandGivesTheExitCodeAndTailWithoutShellOrSecrets() throws Exception {
        ToolBox.Outcome ok = call("run_command", Map.of("command", List.of("sh", "-c", "echo out; echo err >&2; exit 3")));
        assertThat(ok.ok()).isTrue();
        assertThat(ok.text()).startsWith("exit code 3\n").contains("out", "err");
        // No shell: the words go to the program as they are.
        assertThat(call("run_command", Map.of("command", List.of("echo", "$HOME", "*"))).text()).isEqualTo("exit code 0\n$HOME *\n");
        // Variables the agent hides (the worker's secret, API keys) are not passed on.
        assertThat(call("run_command", Map.of("command", List.of("sh", "-c", "echo home=${HOME:-unset}"))).text())
                .contains("home=unset");
        // The tail of a large output, within the result's limit.
        String tail = call("run_command", Map.of("command", List.of("seq", "1", "100000")), 2000).text();
        assertThat(tail.length()).isLessThanOrEqualTo(2000);
        assertThat(tail).endsWith("99999\n100000\n");
        assertThat(call("run_command", Map.of("command", List.of("no-such-program-here"))).text())
                .startsWith("error: cannot run no-such-program-here");
        Files.createDirectories(root.resolve("sub"));
        assertThat(call("run_command", Map.of("command", List.of("pwd"), "cwd", "sub")).text()).endsWith("/ws/sub\n");
    }

    @Test
    void runCommandStopsAProgramAtItsTimeoutWithWhatItLeftRunning() throws Exception {
        Path marker = root.resolve("child.pid");
        long start = System.nanoTime();
        String text = call("run_command", Map.of("command", List.of("sh", "-c", "sleep 60 & echo $! > child.pid; echo started; wait"),
                "timeout_seconds", 1)).text();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(text).startsWith("sh timed out after 1 s and was stopped").contains("started");
        long child = Long.parseLong(Files.readString(marker).trim());
        // Ended: not running (it may wait a moment as a zombie for init to reap it, holding nothing).
        assertThat(ProcFs.system().alive(child)).as("the background sleep").isFalse();
    }

    @Test
    void listShowsATreeToItsDepth() throws Exception {
        Files.createDirectories(root.resolve("src/main/deep"));
        Files.writeString(root.resolve("src/main/App.java"), "class App {}\n");
        Files.writeString(root.resolve("README.md"), "hi\n");
        Files.createDirectories(root.resolve(".git/objects"));

        assertThat(call("list_files", Map.of()).text()).isEqualTo("./\n  .git/\n  README.md (3)\n  src/\n    main/\n");
        // Models send an empty path for "the default": it is the workspace, as no path is.
        assertThat(call("list_files", Map.of("path", "")).text()).isEqualTo(call("list_files", Map.of()).text());
        assertThat(call("search_text", Map.of("pattern", "class", "path", " ")).text()).contains("src/main/App.java:1:");
        assertThat(call("list_files", Map.of("path", "src", "depth", 3)).text())
                .isEqualTo("src/\n  main/\n    App.java (13)\n    deep/\n");
    }
}
