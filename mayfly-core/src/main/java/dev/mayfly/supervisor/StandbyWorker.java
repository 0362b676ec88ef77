package dev.mayfly.supervisor;

import dev.mayfly.process.ProcessTree;
import dev.mayfly.worker.Channel;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A worker JVM started and connected before its task: it waits on its channel for the one task it
 * will run. Until then nothing reads its output, which stays in the pipe for the task's log.
 *
 * @param readyAt when it connected
 */
record StandbyWorker(String workerId, Process process, Channel channel, StandbyWorkers.Shape shape, Instant readyAt) {

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
    }
}
