package dev.mayfly.task;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Whether a task that ended gets another attempt, when, and with what limits.
 *
 * <p>Only what a fresh attempt can cure is retried: {@code crashed} (the worker died) and
 * {@code out_of_memory} (its heap or tree cap, or the host running low). Never {@code error} (the
 * agent's own failure would only repeat), {@code timed_out}, {@code interrupted} or a user's cancel.
 * The backoff doubles from the first delay, with jitter of ±50 % so that tasks that failed together
 * do not come back together, and is at most {@value #MAX_DELAY_MINUTES} minutes. After running out
 * of its own memory a retry gets 1.5 times the heap and tree cap (when growing is on), up to
 * {@link TaskLimits#MAX_GROWTH} times the first attempt's and what the host could ever give; after
 * the host ran low, the same caps (the task was not the one that outgrew them).
 */
public final class RetryPolicy {

    static final int MAX_DELAY_MINUTES = 5;

    private final Duration firstDelay;
    private final DoubleSupplier random;

    /** @param random numbers in [0, 1) for the jitter */
    public RetryPolicy(Duration firstDelay, DoubleSupplier random) {
        this.firstDelay = firstDelay;
        this.random = random;
    }

    /** Another attempt: the retry's number (1 for the first retry), its delay, its limits, and why, in words. */
    public record Retry(int number, Duration delay, TaskLimits limits, String why) {}

    /**
     * The retry after this outcome, or empty when the task ends with it.
     *
     * @param retriesDone retries already made
     * @param hostLow whether the host's floor ended it (no growth then)
     * @param maxCapMb the largest tree cap a retry may get
     */
    public Optional<Retry> next(TaskLimits limits, int retriesDone, TaskOutcome outcome, boolean hostLow, int maxCapMb) {
        FailureReason reason = outcome.reason();
        if (retriesDone >= limits.retries() || (reason != FailureReason.CRASHED && reason != FailureReason.OUT_OF_MEMORY)) {
            return Optional.empty();
        }
        int number = retriesDone + 1;
        TaskLimits next = reason == FailureReason.OUT_OF_MEMORY && !hostLow ? limits.grown(maxCapMb) : limits;
        double factor = Math.pow(2, Math.min(30, number - 1)) * (0.5 + random.getAsDouble());
        Duration delay = Duration.ofMillis(Math.min(Duration.ofMinutes(MAX_DELAY_MINUTES).toMillis(),
                Math.round(firstDelay.toMillis() * factor)));
        String why = String.format(Locale.ROOT, "retry %d of %d in %.1f s after %s%s", number, limits.retries(),
                delay.toMillis() / 1000.0, reason.label(), next.equals(limits) ? ""
                        : String.format(Locale.ROOT, " (heap %d → %d MB, memory cap %d → %d MB)", limits.heapMb(),
                                next.heapMb(), limits.memoryMb(), next.memoryMb()));
        return Optional.of(new Retry(number, delay, next, why));
    }
}
