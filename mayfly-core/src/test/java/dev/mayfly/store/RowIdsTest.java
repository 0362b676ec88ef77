package dev.mayfly.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RowIdsTest {

    @Test
    void ids_made_within_one_millisecond_are_never_the_same() {
        // A batch stores its tasks within a few milliseconds. With only a random number after the
        // millisecond (36⁴ of them), 100,000 ids in one millisecond met about 3,000 times.
        Clock frozen = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(RowIds.next("task", frozen));
        }
        assertThat(ids).hasSize(100_000).allMatch(id -> id.matches("task-[0-9a-z]+-[0-9a-z]{1,4}"));
    }

    @Test
    void a_clock_that_goes_back_and_threads_at_once_make_no_id_twice() throws Exception {
        AtomicLong millis = new AtomicLong(1_800_000_000_000L);
        Clock backwards = new Clock() {
            @Override
            public long millis() {
                return millis.getAndAdd(-1); // a step back at every look
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis());
            }

            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        Set<String> ids = ConcurrentHashMap.newKeySet();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    ids.add(RowIds.next("batch", backwards));
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(ids).hasSize(80_000);
    }
}
