package dev.mayfly.batch;

import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a batch through one orchestrator: {@code slots} tasks at a time (the worker pool's size),
 * highest priority first, then in file order. Holding back what is not running keeps the
 * supervisor's pool limit and queue bound whatever the batch's size.
 *
 * <p>{@link #stop} (Ctrl-C) ends the batch: no new task starts, and the running ones end as the
 * orchestrator's cleanup stops them. A store that is lost (deleted, replaced) ends it too: no task
 * starts whose outcome could not be recorded.
 */
public final class BatchRunner {

    /** Hears about each task's end, with the batch's progress just after it. */
    @FunctionalInterface
    public interface Listener {
        void ended(int line, TaskResult result, BatchProgress progress);
    }

    /** A line of the batch and how its task ended. */
    public record Result(int line, TaskResult task) {}

    private final Orchestrator orchestrator;
    private final DurableBatch batch;
    private final int slots;
    private final Listener listener;
    private final Clock clock;
    private final PriorityBlockingQueue<DurableBatch.Line> waiting = new PriorityBlockingQueue<>(16,
            Comparator.comparingInt((DurableBatch.Line line) -> -line.priority()).thenComparingInt(DurableBatch.Line::number));
    /** Only what a summary names: a batch of 10,000 lines keeps nothing of a line that completed. */
    private final List<Result> results = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger ended = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;
    private volatile Instant start;
    private volatile int total;

    public BatchRunner(Orchestrator orchestrator, DurableBatch batch, int slots, Listener listener, Clock clock) {
        this.orchestrator = orchestrator;
        this.batch = batch;
        this.slots = slots;
        this.listener = listener;
        this.clock = clock;
    }

    /** Runs every line, or until stopped, and returns {@link #results}. */
    public List<Result> run() throws InterruptedException {
        start = clock.instant();
        total = batch.lines().size();
        waiting.addAll(batch.lines());
        synchronized (threads) {
            for (int i = 0; i < Math.min(slots, total); i++) {
                Thread thread = new Thread(this::takeTasks, "mayfly-batch-" + (i + 1));
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
        }
        awaitEnd(Long.MAX_VALUE);
        return results();
    }

    /** Waits up to {@code millis} for the running tasks' ends to be recorded. */
    public void awaitEnd(long millis) {
        List<Thread> started;
        synchronized (threads) {
            started = List.copyOf(threads);
        }
        long deadline = System.nanoTime() + Math.min(millis, Long.MAX_VALUE / 2_000_000) * 1_000_000;
        try {
            for (Thread thread : started) {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void takeTasks() {
        DurableBatch.Line line;
        while (!stopped && orchestrator.store().lost().isEmpty() && (line = waiting.poll()) != null) {
            running.incrementAndGet();
            TaskResult result;
            try {
                result = orchestrator.startStored(batch.task(line)).get();
            } catch (ExecutionException | RuntimeException e) {
                if (orchestrator.store().lost().isPresent()) {
                    // The store went away as this line was starting: it never started, and the batch's
                    // end counts it so, with the others not started (not as a failed task).
                    waiting.add(line);
                    return;
                }
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                // A stored task that could not start stays queued, and the batch's end settles it as
                // interrupted (a resume runs it): said so here too, so that the summary agrees with the store.
                result = new TaskResult(line.taskId(), null, TaskOutcome.failed(FailureReason.INTERRUPTED,
                        "not run: " + cause.getMessage()), null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                running.decrementAndGet();
            }
            if (!result.outcome().succeeded()) {
                failed.incrementAndGet();
            }
            if (!result.outcome().succeeded() || result.unrecorded() != null) {
                results.add(new Result(line.number(), result));
            }
            ended.incrementAndGet();
            listener.ended(line.number(), result, progress());
        }
    }

    /** Where the batch stands now. */
    public BatchProgress progress() {
        Instant began = start == null ? clock.instant() : start;
        return new BatchProgress(total, ended.get(), failed.get(), running.get(), waiting.size(),
                Duration.between(began, clock.instant()));
    }

    /**
     * The lines that ended so far and failed, or whose outcome could not be recorded, in the order they
     * ended: what a summary names besides the counts ({@link #progress}).
     */
    public List<Result> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }

    /** Starts no further task; those running are stopped by the orchestrator's cleanup. */
    public void stop() {
        stopped = true;
    }
}
