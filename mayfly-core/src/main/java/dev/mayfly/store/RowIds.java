package dev.mayfly.store;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * New ids for the store's rows: {@code task-…}, {@code batch-…}, {@code run-…}. An id is its prefix,
 * the clock's millisecond in base 36, and a number in base 36 below 36⁴.
 *
 * <p>The number is random for a millisecond's first id, so that processes sharing a store (nodes on
 * one PostgreSQL, a batch beside a few runs) rarely meet; each later id of the same millisecond in
 * this process takes the next number, so that this process never makes one twice. Random numbers
 * alone did: a batch stores thousands of tasks within a few milliseconds, and a 10,000-line batch
 * once failed whole on a duplicate task id.
 *
 * <p>The random number need not be unguessable, only differ between processes: {@link ThreadLocalRandom}
 * is seeded from the clock's nanoseconds. A {@code SecureRandom} set up the JDK's security providers
 * first, 10-15 ms of a short {@code mayfly run} (docs/benchmarks.md, "The command line").
 */
public final class RowIds {

    private static final int NUMBERS = 36 * 36 * 36 * 36;

    /** Guarded by the class: the millisecond of the last id made, and its number. */
    private static long lastMillis = Long.MIN_VALUE;
    private static int lastNumber;

    private RowIds() {}

    /** A new id, {@code prefix-<millisecond>-<number>}, never made before by this process. */
    public static String next(String prefix, Clock clock) {
        long millis;
        int number;
        synchronized (RowIds.class) {
            millis = clock.millis();
            if (millis > lastMillis) {
                number = ThreadLocalRandom.current().nextInt(NUMBERS);
            } else {
                // The same millisecond, or a clock that went back: go on from the last id. A millisecond
                // whose numbers ran out borrows the next one.
                millis = lastMillis;
                number = lastNumber + 1;
                if (number == NUMBERS) {
                    millis++;
                    number = 0;
                }
            }
            lastMillis = millis;
            lastNumber = number;
        }
        return prefix + "-" + Long.toString(millis, 36) + "-" + Integer.toString(number, 36);
    }
}
