package dev.mayfly.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A process and everything it started, remembered as it is seen.
 *
 * <p>Why remember: when a process dies, its children are handed to init and no longer show up as
 * its descendants, so a tree must be looked at before it is cut. {@link #refresh()} adds the
 * descendants alive now to what was seen before; {@link #stop} ends every process ever seen that
 * is still the same process (a pid that was reused is recognised by its start time).
 */
public final class ProcessTree {

    private final ProcessHandle root;
    private final Set<ProcessHandle> seen = new LinkedHashSet<>();

    public ProcessTree(ProcessHandle root) {
        this.root = root;
    }

    /** Adds the root's current descendants to the processes this tree will stop. */
    public synchronized ProcessTree refresh() {
        root.descendants().forEach(seen::add);
        return this;
    }

    /** Processes of this tree still running (a zombie waiting to be reaped is not), the root first. */
    public synchronized List<ProcessHandle> alive() {
        refresh();
        List<ProcessHandle> alive = new ArrayList<>();
        if (running(root)) {
            alive.add(root);
        }
        for (ProcessHandle handle : seen) {
            if (running(handle)) {
                alive.add(handle);
            }
        }
        return alive;
    }

    private static boolean running(ProcessHandle handle) {
        ProcFs proc = ProcFs.system();
        return handle.isAlive() && (!proc.available() || proc.alive(handle.pid()));
    }

    /**
     * Stops the tree: a polite request (SIGTERM) to every process, up to {@code grace} for them to
     * end, then SIGKILL for those still there, and a wait for them to be gone.
     *
     * @return true when nothing of the tree is alive afterwards
     */
    public boolean stop(Duration grace) {
        List<ProcessHandle> alive = alive();
        alive.forEach(ProcessHandle::destroy);
        awaitExit(alive, grace);
        return kill();
    }

    /**
     * Stops the given processes, whoever their parents are: SIGTERM, up to {@code grace} for them to
     * end, SIGKILL for those still there, and a short wait for them to be gone.
     */
    public static void stopAll(List<ProcessHandle> processes, Duration grace) {
        if (!grace.isZero()) {
            processes.forEach(ProcessHandle::destroy);
            awaitExit(processes, grace);
        }
        processes.forEach(ProcessHandle::destroyForcibly);
        awaitExit(processes, Duration.ofSeconds(2));
    }

    /** Stops the tree at once with SIGKILL, descendants first, and waits for them to be gone. */
    public boolean kill() {
        for (int round = 0; round < 5; round++) {
            List<ProcessHandle> alive = alive();
            if (alive.isEmpty()) {
                return true;
            }
            // Children first, so that none can start anything new while its parent is dying.
            for (int i = alive.size() - 1; i >= 0; i--) {
                alive.get(i).destroyForcibly();
            }
            awaitExit(alive, Duration.ofSeconds(2));
        }
        return alive().isEmpty();
    }

    private static void awaitExit(List<ProcessHandle> processes, Duration limit) {
        ProcFs proc = ProcFs.system();
        if (proc.available()) {
            proc.awaitGone(processes.stream().map(ProcessHandle::pid).toList(), limit);
            return;
        }
        CompletableFuture<?>[] exits = processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Whoever is still alive is dealt with by the caller's next step.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
