package dev.mayfly.config;

import dev.mayfly.log.RecordText;
import java.time.Duration;

/**
 * Whether, and how, a task that memory or a crash ended is run again.
 *
 * @param retries how many more attempts a task gets after {@code crashed} or {@code out_of_memory}
 *     ({@code MAYFLY_RETRIES}, {@code --retries}; 0 = none)
 * @param delay the first backoff; each later one doubles, with jitter ({@code MAYFLY_RETRY_DELAY})
 * @param growMemory whether a retry after {@code out_of_memory} gets 1.5 times the heap and tree cap
 *     ({@code MAYFLY_GROW_MEMORY}, {@code --grow-memory})
 */
public record RetrySettings(int retries, Duration delay, boolean growMemory) {

    public static final int MAX_RETRIES = 20;

    /** As a record shows itself, without its first use's cost ({@link RecordText}). */
    @Override
    public String toString() {
        return RecordText.of(this);
    }
}
