package dev.mayfly.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The keeper in JVMs started with a long-lived supervisor's heap options, on this JDK and on JDK 25,
 * whose serial collector grows the old generation rather than collect it: a program that promotes
 * garbage the way a busy supervisor does (objects that outlive a 1 MB young generation, then go).
 */
class HeapKeeperTest {

    private static final Path JDK_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    /** What shapes a long-lived supervisor's heap among the launcher's options (mayfly: supervisor_options, long_options). */
    private static final List<String> SUPERVISOR_HEAP = List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:MinHeapFreeRatio=5",
            "-XX:MaxHeapFreeRatio=20", "-Xms4m", "-Xmn1m", "-XX:-ShrinkHeapInSteps");

    @Test
    void asks_for_a_collection_only_once_the_heap_has_grown_by_half_and_at_least_4_mb() {
        AtomicLong committed = new AtomicLong(6L << 20);
        AtomicInteger collections = new AtomicInteger();
        // A collection brings the heap back to 7 MB.
        HeapKeeper keeper = new HeapKeeper(committed::get, () -> {
            collections.incrementAndGet();
            committed.set(7L << 20);
        });

        committed.set(10L << 20);
        assertThat(keeper.look()).as("6 MB + 4 MB is the bound").isFalse();
        committed.set((10L << 20) + 1);
        assertThat(keeper.look()).isTrue();
        assertThat(collections).hasValue(1);

        committed.set(11L << 20);
        assertThat(keeper.look()).as("the bound follows the heap after the collection: 7 + 4 MB").isFalse();
        committed.set(12L << 20);
        assertThat(keeper.look()).isTrue();
        assertThat(collections).hasValue(2);
    }

    @Test
    void a_large_heap_may_grow_by_half_before_a_collection() {
        AtomicLong committed = new AtomicLong(100L << 20);
        HeapKeeper keeper = new HeapKeeper(committed::get, () -> { });

        committed.set(150L << 20);
        assertThat(keeper.look()).isFalse();
        committed.set((150L << 20) + 1);
        assertThat(keeper.look()).isTrue();
    }

    @Test
    void keeps_this_jdks_heap_near_what_is_held() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assertThat(mostCommittedMb(java, true)).isLessThan(32);
    }

    @Test
    void keeps_jdk_25s_heap_near_what_is_held_where_it_would_grow_to_its_cap() throws Exception {
        Path java = JDK_25.resolve("bin/java");
        assumeTrue(Files.isExecutable(java), "no JDK 25 at " + JDK_25);
        assertThat(mostCommittedMb(java, false)).as("without the keeper").isGreaterThan(100);
        assertThat(mostCommittedMb(java, true)).as("with it").isLessThan(32);
    }

    /** Runs {@link Promoter} in a JVM of its own; the most heap it saw committed, in MB. */
    private static long mostCommittedMb(Path java, boolean keep) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(SUPERVISOR_HEAP);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Promoter.class.getName(),
                Boolean.toString(keep)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("ended: %s", printed).isTrue();
            assertThat(process.exitValue()).as(printed).isZero();
            return Long.parseLong(printed);
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * Allocates 400 MB in 1 KB arrays, each kept while the next 1,000 are made: a 1 MB young generation
     * cannot hold them, so most are promoted and die in the old one. Prints the most heap committed.
     */
    public static final class Promoter {

        public static void main(String[] args) {
            HeapKeeper keeper = Boolean.parseBoolean(args[0]) ? HeapKeeper.ofThisJvm() : null;
            Object[] recent = new Object[1000];
            long most = 0;
            for (int i = 0; i < 400_000; i++) {
                recent[i % recent.length] = new byte[1024];
                if (i % recent.length == 0) {
                    if (keeper != null) {
                        keeper.look();
                    }
                    most = Math.max(most, Runtime.getRuntime().totalMemory());
                }
            }
            System.out.println(most >> 20);
        }
    }
}
