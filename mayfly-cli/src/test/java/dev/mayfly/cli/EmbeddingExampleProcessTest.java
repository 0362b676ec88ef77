package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.client.ServerFile;
import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.SqliteStore;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/embedding.md's example, taken from the file as it is written, compiled, and run as a real
 * process both ways: as a server's client and with the supervisor embedded in it. Its task is a
 * Python program.
 */
class EmbeddingExampleProcessTest {

    private static final Path DOC = Path.of("").toAbsolutePath().getParent().resolve("docs").resolve("embedding.md");
    private static final Pattern TASK_ID = Pattern.compile("submitted (task-[a-z0-9]+-[a-z0-9]+)");

    @TempDir
    Path workDir;

    private Path classes;

    @BeforeEach
    void compileTheExample() throws Exception {
        String doc = Files.readString(DOC);
        int start = doc.indexOf("```java\n") + "```java\n".length();
        String source = doc.substring(start, doc.indexOf("```", start));
        assertThat(source).contains("public class ReviewService");
        Path file = Files.writeString(Files.createDirectories(workDir.resolve("src")).resolve("ReviewService.java"), source);
        classes = Files.createDirectories(workDir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                file.toString());
        assertThat(status).as("the example compiles").isZero();
        Files.writeString(workDir.resolve("review.py"), "import os\nprint('reviewing in', os.getcwd())\nprint('looks good')\n");
    }

    /** Runs the example to its end; returns its output, and the pid it ran as. */
    private Example run(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path") + File.pathSeparator + classes, "ReviewService"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.equals("USE_WORKERS") || key.startsWith("MAYFLY_"));
        builder.environment().put("MAYFLY_HEAP_MB", "64");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        Matcher matcher = TASK_ID.matcher(output);
        assertThat(matcher.find()).as(output).isTrue();
        return new Example(output, matcher.group(1), process.pid());
    }

    private record Example(String output, String taskId, long pid) {}

    /** The pid of the supervisor that ran the task. */
    private long supervisorPid(String taskId) {
        try (JdbcTaskStore store = SqliteStore.open(workDir.resolve(".mayfly").resolve("workers.db"))) {
            return store.findSupervisor(store.findTask(taskId).orElseThrow().supervisorId()).orElseThrow().pid();
        }
    }

    @Test
    void as_a_server_s_client_the_server_runs_the_python_task_and_its_lines_come_back_live() throws Exception {
        try (MayflyProcess server = MayflyProcess.start(workDir, Map.of("MAYFLY_HEAP_MB", "64"), "serve", "--port", "0")) {
            long pid = server.process().pid();
            await().atMost(Duration.ofSeconds(60)).until(() -> ServerFile.read(workDir.resolve(".mayfly"))
                    .filter(file -> file.pid() == pid).isPresent());

            Example example = run();

            assertThat(example.output()).contains("| reviewing in " + workDir.toRealPath(), "| looks good",
                    example.taskId() + " completed in ").containsPattern("peak [0-9.]+ MB of 2048 MB");
            assertThat(supervisorPid(example.taskId())).isEqualTo(pid);
        }
    }

    @Test
    void embedded_the_example_s_own_process_supervises_the_python_task() throws Exception {
        Example example = run("--embedded");

        assertThat(example.output()).contains("| looks good", example.taskId() + " completed in ")
                .containsPattern("peak [0-9.]+ MB of 2048 MB");
        assertThat(supervisorPid(example.taskId())).isEqualTo(example.pid());
    }
}
