package dev.mayfly.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code mayfly} as a real process: a child JVM running {@link Main} with this test's classpath, a
 * chosen environment and working folder. Output goes to files, so a flood cannot block it.
 */
final class MayflyProcess implements AutoCloseable {

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private MayflyProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static MayflyProcess start(Path workDir, Map<String, String> environment, String... args) throws IOException {
        return start(false, workDir, environment, args);
    }

    /**
     * Starts {@code mayfly} as the leader of a process group of its own, as a shell runs a command in a
     * terminal: Ctrl-C there reaches the whole group, its workers and their programs too
     * ({@link #interruptGroup}).
     */
    static MayflyProcess startInOwnGroup(Path workDir, Map<String, String> environment, String... args)
            throws IOException {
        return start(true, workDir, environment, args);
    }

    private static MayflyProcess start(boolean ownGroup, Path workDir, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        if (ownGroup) {
            command.add("setsid");
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("mayfly-out", ".txt");
        Path err = Files.createTempFile("mayfly-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(key -> key.equals("USE_WORKERS") || key.startsWith("MAYFLY_"));
        builder.environment().putAll(environment);
        return new MayflyProcess(builder.start(), out, err);
    }

    /** Runs to the end (at most two minutes) and returns the exit status. */
    static Result run(Path workDir, Map<String, String> environment, String... args) throws Exception {
        try (MayflyProcess mayfly = start(workDir, environment, args)) {
            return mayfly.awaitExit();
        }
    }

    /** Runs to the end as {@link #run} does, with {@code input} on its standard input. */
    static Result runWithInput(Path workDir, Map<String, String> environment, byte[] input, String... args)
            throws Exception {
        try (MayflyProcess mayfly = start(workDir, environment, args)) {
            try (OutputStream stdin = mayfly.process.getOutputStream()) {
                stdin.write(input);
            }
            return mayfly.awaitExit();
        }
    }

    record Result(int exitCode, String stdout, String stderr) {}

    Process process() {
        return process;
    }

    /** Ctrl-C in a terminal: SIGINT to every process of the group (started with {@link #startInOwnGroup}). */
    void interruptGroup() throws Exception {
        new ProcessBuilder("kill", "-INT", "--", "-" + process.pid()).start().waitFor();
    }

    Result awaitExit() throws Exception {
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            throw new AssertionError("mayfly did not exit within 2 minutes; stderr: " + stderr());
        }
        return new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8), stderr());
    }

    String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
    }
}
