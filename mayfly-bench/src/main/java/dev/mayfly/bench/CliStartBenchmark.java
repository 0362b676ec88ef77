package dev.mayfly.bench;

import dev.mayfly.client.ServerFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a person waits for at the prompt: whole {@code mayfly} commands, started as people start them
 * (the {@code mayfly} launcher in the repository's root), beside a bare {@code java Hello} started by
 * the same JDK in the same round. Each round runs every command once, in turn, so that a change in
 * the machine's load reaches them alike; the figures are medians over the rounds. Run by
 * {@code scripts/bench cli}; docs/benchmarks.md has the results.
 *
 * <p>Commands: {@code status --limit 5} and an in-process {@code run --prompt … -- true} in a home of
 * their own, standalone; then the same two in a home where {@code mayfly serve} runs, where
 * {@code run} becomes the server's client (the task runs in the server) and {@code status} reads the
 * store. With {@code --before LAUNCHER} (another build's {@code mayfly}), its commands run in the same
 * rounds, for a side-by-side comparison.
 */
public final class CliStartBenchmark {

    /** The launchers' user cache folder ({@code XDG_CACHE_HOME}): each measurement starts with none. */
    private static Path userCache;

    private CliStartBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, Path> launchers = new LinkedHashMap<>();
        launchers.put("", Path.of(BenchSupport.stringArg(args, "--launcher", "mayfly")).toAbsolutePath());
        String before = BenchSupport.stringArg(args, "--before", null);
        if (before != null) {
            launchers.put("before: ", Path.of(before).toAbsolutePath());
        }
        int runs = BenchSupport.intArg(args, "--runs", 15);
        String jdks = BenchSupport.stringArg(args, "--jdks", System.getProperty("java.home"));
        for (String jdk : jdks.split(",")) {
            measure(launchers, Path.of(jdk), runs);
        }
    }

    /** One command as the rounds run it: what to start, in which folder (its default home is there). */
    private record Command(List<String> line, Path folder) {}

    private static void measure(Map<String, Path> launchers, Path jdk, int runs) throws Exception {
        Path folder = BenchSupport.tempHome();
        userCache = Files.createDirectories(folder.resolve("user-cache"));
        Path hello = Path.of(Hello.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, Command> commands = new LinkedHashMap<>();
        commands.put("bare: java Hello", new Command(List.of(jdk.resolve("bin/java").toString(), "-cp", hello.toString(),
                Hello.class.getName()), folder));
        List<Process> servers = new ArrayList<>();
        try {
            int index = 0;
            for (Map.Entry<String, Path> launcher : launchers.entrySet()) {
                String mayfly = launcher.getValue().toString();
                Path standalone = Files.createDirectories(folder.resolve("standalone-" + index));
                Path served = Files.createDirectories(folder.resolve("served-" + index++));
                List<String> status = List.of(mayfly, "status", "--limit", "5");
                List<String> run = List.of(mayfly, "run", "--prompt", "Fix it", "--", "true");
                // A few commands first: the store made, and whatever a build's first command prepares.
                for (int i = 0; i < 3; i++) {
                    time(new Command(run, standalone), jdk);
                    time(new Command(status, standalone), jdk);
                }
                awaitArchives();
                servers.add(serve(launcher.getValue(), served, jdk));
                time(new Command(run, served), jdk);
                commands.put(launcher.getKey() + "status --limit 5", new Command(status, standalone));
                commands.put(launcher.getKey() + "run -- true", new Command(run, standalone));
                commands.put(launcher.getKey() + "with a server: status", new Command(status, served));
                commands.put(launcher.getKey() + "with a server: run", new Command(run, served));
            }
            Map<String, double[]> times = new LinkedHashMap<>();
            commands.keySet().forEach(name -> times.put(name, new double[runs]));
            for (int round = 0; round < runs; round++) {
                for (Map.Entry<String, Command> command : commands.entrySet()) {
                    times.get(command.getKey())[round] = time(command.getValue(), jdk);
                }
            }
            report(jdk, runs, times);
        } finally {
            for (Process server : servers) {
                server.descendants().forEach(ProcessHandle::destroy);
                server.destroy();
                server.waitFor();
            }
        }
    }

    private static void report(Path jdk, int runs, Map<String, double[]> times) {
        double bare = BenchSupport.median(times.get("bare: java Hello"));
        System.out.printf(Locale.ROOT, "%s (%s), %d rounds; whole processes, medians%n", jdk, javaVersion(jdk), runs);
        System.out.printf(Locale.ROOT, "%-24s %10s %8s %10s%n", "", "median", "ratio", "fastest");
        times.forEach((name, values) -> System.out.printf(Locale.ROOT, "%-24s %7.0f ms %7.1f× %7.0f ms%n", name,
                BenchSupport.median(values), BenchSupport.median(values) / bare,
                Arrays.stream(values).min().orElse(Double.NaN)));
    }

    private static String javaVersion(Path jdk) {
        try {
            return Files.readAllLines(jdk.resolve("release")).stream().filter(line -> line.startsWith("JAVA_VERSION="))
                    .findFirst().map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", "")).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    /** Runs one command to its end in its folder. */
    private static double time(Command command, Path jdk) throws IOException, InterruptedException {
        Path err = command.folder().resolve("last.err");
        ProcessBuilder builder = new ProcessBuilder(command.line()).directory(command.folder().toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
        environment(builder, jdk);
        long start = System.nanoTime();
        int status = builder.start().waitFor();
        double ms = (System.nanoTime() - start) / 1e6;
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", command.line()) + " in " + command.folder() + " exited "
                    + status + ": " + Files.readString(err));
        }
        return ms;
    }

    private static void environment(ProcessBuilder builder, Path jdk) {
        builder.environment().keySet().removeIf(key -> key.startsWith("MAYFLY_") || key.equals("USE_WORKERS"));
        builder.environment().put("JAVA_HOME", jdk.toString());
        builder.environment().put("XDG_CACHE_HOME", userCache.toString());
    }

    /** Until the launcher's class-data archives, made in the background by a build's first commands, are there. */
    private static void awaitArchives() throws IOException, InterruptedException {
        Path cache = userCache.resolve("mayfly");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (Files.isDirectory(cache)) {
            try (Stream<Path> files = Files.list(cache)) {
                if (files.noneMatch(file -> file.toString().endsWith(".making"))) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the class-data archive was not made within 3 minutes");
            }
            Thread.sleep(100);
        }
    }

    private static Process serve(Path launcher, Path home, Path jdk) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "serve", "--port", "0").directory(home.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(home.resolve("serve.err").toFile());
        environment(builder, jdk);
        Process process = builder.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        Path mayflyHome = home.resolve(".mayfly");
        Optional<ServerFile> file = ServerFile.read(mayflyHome);
        while (file.isEmpty() || !file.get().alive()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("mayfly serve did not start: " + Files.readString(home.resolve("serve.err")));
            }
            Thread.sleep(20);
            file = ServerFile.read(mayflyHome);
        }
        return process;
    }
}
