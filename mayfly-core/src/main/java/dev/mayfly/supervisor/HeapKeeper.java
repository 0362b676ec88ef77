package dev.mayfly.supervisor;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Keeps a long-lived supervisor's own heap near what it holds, where the JVM would not.
 *
 * <p>The launcher gives a supervisor that lives for hours (batch, resume, serve) the serial collector
 * and a heap that gives back what a full collection frees ({@code -XX:MaxHeapFreeRatio}). On JDK 17
 * the serial collector collects the old generation once it is full, so the heap stays at what the
 * supervisor holds (5 MB after 10,000 tasks). On JDK 25 it grows the old generation instead,
 * at every young collection that finds it full, and collects it only at {@code -Xmx}: on JDK 25 a
 * batch supervisor's heap grew by 150 MB every 1,000 tasks, almost all of it garbage, and its RSS
 * with it (docs/benchmarks.md, "The supervisor over 10,000 worker tasks").
 *
 * <p>So every {@link #LOOK} this looks at the heap the JVM has committed, and once it has grown by
 * half since the last full collection asked for here (at least {@link #MIN_GROWTH_BYTES}), asks for
 * one. A full collection of the supervisor's few MB takes a few milliseconds on the timer thread's
 * behalf (the collection itself runs in the VM thread). Only where the launcher asks for it
 * ({@value #PROPERTY}): in an application's JVM, the Java API's supervisor leaves the heap to the
 * application's own choice of collector.
 */
final class HeapKeeper {

    /** The system property the launcher sets for a long-lived supervisor; {@code true} turns the keeper on. */
    static final String PROPERTY = "mayfly.keepHeap";
    static final Duration LOOK = Duration.ofSeconds(1);
    /** Growth below this never asks for a collection: the young generation alone moves the committed heap by 1 MB. */
    static final long MIN_GROWTH_BYTES = 4L << 20;

    private final LongSupplier committed;
    private final Runnable collect;
    /** The committed heap after the last collection asked for here (or at the start). */
    private long settled;

    /**
     * @param committed the heap the JVM has committed now, in bytes
     * @param collect a full collection
     */
    HeapKeeper(LongSupplier committed, Runnable collect) {
        this.committed = committed;
        this.collect = collect;
        this.settled = committed.getAsLong();
    }

    /** Whether this JVM's launcher asked for the keeper. */
    static boolean wanted() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** The keeper of this JVM's heap, through {@link Runtime#totalMemory} and {@link System#gc}. */
    static HeapKeeper ofThisJvm() {
        Runtime runtime = Runtime.getRuntime();
        return new HeapKeeper(runtime::totalMemory, System::gc);
    }

    /** One look: a full collection when the heap has grown past the bound; whether it asked for one. */
    synchronized boolean look() {
        if (committed.getAsLong() <= settled + Math.max(MIN_GROWTH_BYTES, settled / 2)) {
            return false;
        }
        collect.run();
        settled = committed.getAsLong();
        return true;
    }
}
