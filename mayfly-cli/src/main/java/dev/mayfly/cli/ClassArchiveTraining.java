package dev.mayfly.cli;

import dev.mayfly.client.ServerFile;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the command line's class-data archive is made from. The {@code mayfly} launcher runs this once
 * for each build of Mayfly and each JDK, in the background, under {@code -XX:ArchiveClassesAtExit}
 * (or JDK 25's {@code -XX:AOTCacheOutput}): the commands people type most, on a throw-away home, their
 * output discarded, and a run handed to a server (in a process of its own) as its client. Every class they
 * load, and on JDK 25 how it was linked and used, is then mapped ready by every later command instead of
 * being read from the jars, parsed and verified again.
 *
 * <p>The launcher runs it without the caller's {@code MAYFLY_*} settings, so it never touches the
 * caller's store.
 */
public final class ClassArchiveTraining {

    private ClassArchiveTraining() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("mayfly-archive-training-");
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(nowhere);
        System.setErr(nowhere);
        try {
            String at = home.toString();
            Main.execute("run", "--home", at, "--no-workers", "--prompt", "Fix it", "--", "true");
            Main.execute("status", "--home", at, "--limit", "5");
            Main.execute("status", "--home", at, "--json");
            Main.execute("--help");
            // A run handed to a server as its client. The server is another process: a server never maps the
            // archive (a supervisor that lives long does without), and on JDK 25 every class in the cache is
            // loaded at every start, so its classes would only slow the commands down.
            Path served = home.resolve("served");
            Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--home", served.toString(),
                    "--port", "0").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                if (awaitServer(served)) {
                    Main.execute("run", "--home", served.toString(), "--prompt", "Fix it", "--", "true");
                }
            } finally {
                server.destroy();
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor();
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        // As a command ends: the archive is written while the JVM exits.
        System.exit(0);
    }

    /** Whether the server in {@code home} answers within a minute. */
    private static boolean awaitServer(Path home) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            if (ServerFile.read(home).filter(ServerFile::alive).isPresent()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
