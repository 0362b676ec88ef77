package dev.mayfly.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What the command line's class-data archive is made from. The {@code mayfly} launcher runs this once
 * for each build of Mayfly and each JDK, in the background, under {@code -XX:ArchiveClassesAtExit}
 * (or JDK 25's {@code -XX:AOTCacheOutput}): the commands people type most, on a throw-away home, their
 * output discarded. Every class they load, and on JDK 25 how it was linked and used, is then mapped
 * ready by every later command instead of being read from the jars, parsed and verified again.
 *
 * <p>The launcher runs it without the caller's {@code MAYFLY_*} settings, so it never touches the
 * caller's store.
 */
public final class ClassArchiveTraining {

    private ClassArchiveTraining() {}

    public static void main(String[] args) throws IOException {
        Path home = Files.createTempDirectory("mayfly-archive-training-");
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(nowhere);
        System.setErr(nowhere);
        try {
            String at = home.toString();
            Main.execute("run", "--home", at, "--no-workers", "--prompt", "Fix it", "--", "true");
            Main.execute("status", "--home", at, "--limit", "5");
            Main.execute("status", "--home", at, "--json");
            // A server's client, as far as it goes without one: the HTTP client's classes.
            Main.execute("status", "--home", at, "--server", "http://127.0.0.1:" + closedPort());
            Main.execute("--help");
        } finally {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        // As a command ends: the archive is written while the JVM exits.
        System.exit(0);
    }

    /** A loopback port nothing listens on (it was free a moment ago). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
