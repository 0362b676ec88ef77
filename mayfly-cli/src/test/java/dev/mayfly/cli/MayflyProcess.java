package dev.mayfly.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
        return start(List.of(), System.getProperty("java.class.path"), workDir, environment, args);
    }

    /**
     * Runs {@code mayfly} to the end as the user nobody (this test must run as root), to meet files
     * and folders as another user does: root reads and writes everywhere.
     *
     * @param classpath this test's classpath, copied where nobody can read it ({@link #copyClasspath})
     */
    static Result runAsNobody(String classpath, Path workDir, Map<String, String> environment, String... args)
            throws Exception {
        List<String> setpriv = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
        try (MayflyProcess mayfly = start(setpriv, classpath, workDir, environment, args)) {
            return mayfly.awaitExit();
        }
    }

    /** Copies this test's classpath (jars under /root, say) into {@code folder}, readable by every user. */
    static String copyClasspath(Path folder) throws IOException {
        List<String> copies = new ArrayList<>();
        int index = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path copy = folder.resolve(index++ + "-" + source.getFileName());
            try (var paths = Files.walk(source)) {
                for (Path path : (Iterable<Path>) paths::iterator) {
                    Files.copy(path, copy.resolve(source.relativize(path).toString()));
                }
            }
            copies.add(copy.toString());
        }
        try (var paths = Files.walk(folder)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                        Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(java.io.File.pathSeparator, copies);
    }

    /**
     * Starts {@code mayfly} as the leader of a process group of its own, as a shell runs a command in a
     * terminal: Ctrl-C there reaches the whole group, its workers and their programs too
     * ({@link #interruptGroup}).
     */
    static MayflyProcess startInOwnGroup(Path workDir, Map<String, String> environment, String... args)
            throws IOException {
        return start(List.of("setsid"), System.getProperty("java.class.path"), workDir, environment, args);
    }

    /**
     * Starts {@code mayfly} in a pseudo-terminal of its own (terminal.py), as a person at a terminal
     * runs it: {@link #type} types into it, and what it writes there comes to {@link #stdoutSoFar}.
     */
    static MayflyProcess startInTerminal(Path workDir, Map<String, String> environment, String... args)
            throws Exception {
        Path helper = Path.of(MayflyProcess.class.getResource("terminal.py").toURI());
        return start(List.of("python3", helper.toString()), System.getProperty("java.class.path"), workDir, environment,
                args);
    }

    /** Types into a process started with {@link #startInTerminal}; "\u0003" is Ctrl-C. */
    void type(String keys) throws IOException {
        process.getOutputStream().write(keys.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** @param prefix what runs java: setsid, setpriv, python3 terminal.py, or nothing */
    private static MayflyProcess start(List<String> prefix, String classpath, Path workDir,
            Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(classpath);
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

    /** What it has printed on standard output so far. */
    String stdoutSoFar() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
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
