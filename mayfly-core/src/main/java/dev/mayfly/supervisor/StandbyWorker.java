package dev.mayfly.supervisor;

import dev.mayfly.process.ProcessTree;
import dev.mayfly.worker.Channel;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A worker JVM started and connected before its task: it waits on its channel for the one task it
 * will run. Until then nothing reads its output, which stays in the pipe for the task's log.
 *
 * @param folder what its JVM writes that belongs to its task (the production profile's heap dump and
 *     GC log), named before the task was known: moved into the task's folder once the JVM is gone
 * @param readyAt when it connected
 */
record StandbyWorker(String workerId, Process process, Channel channel, StandbyWorkers.Shape shape, Path folder,
        Instant readyAt) {

    /** How long a retired worker gets to exit by itself after its channel closed (it does so at once). */
    private static final long RETIRE_WAIT_MS = 2_000;

    boolean alive() {
        return process.isAlive();
    }

    /**
     * Ends it unused: closing its channel is its supervisor going away, on which a worker exits at
     * once; one that does not is killed with everything it started.
     */
    void retire(WorkerLauncher launcher) {
        WorkerPort.closeQuietly(channel);
        try {
            if (!process.waitFor(RETIRE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                new ProcessTree(process.toHandle()).kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            new ProcessTree(process.toHandle()).kill();
        }
        try {
            process.getInputStream().close();
        } catch (IOException e) {
            // Nothing more to read from it.
        }
        if (!process.isAlive()) {
            launcher.exited(process);
        }
        handOver(null);
    }

    /**
     * Moves what its JVM wrote into the task's folder, now that the JVM is gone (a rename: both are
     * under Mayfly's home), and removes its own folder.
     *
     * @param taskFolder where they go; null for a worker ended unused, whose files are removed
     */
    void handOver(Path taskFolder) {
        empty(folder, taskFolder);
    }

    /**
     * Moves a ready worker's files into {@code taskFolder} (or removes them when it is null), then
     * removes its folder.
     */
    static void empty(Path folder, Path taskFolder) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                if (taskFolder == null) {
                    Files.delete(file);
                } else {
                    Files.move(file, taskFolder.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.delete(folder);
        } catch (IOException e) {
            // Left for the next supervisor's sweep of ready workers' folders; the task itself is not harmed.
        }
    }
}
