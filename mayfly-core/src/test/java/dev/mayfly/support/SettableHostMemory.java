package dev.mayfly.support;

import dev.mayfly.memory.HostMemory;
import java.util.concurrent.atomic.AtomicLong;

/** Host memory whose figures a test sets: the seam for admission and the host floor. */
public final class SettableHostMemory implements HostMemory {

    private volatile long availableMb;
    private final long usableMb;
    private final AtomicLong lowReads = new AtomicLong();
    private volatile long lowMb;

    public SettableHostMemory(long availableMb, long usableMb) {
        this.availableMb = availableMb;
        this.usableMb = usableMb;
    }

    public void setAvailableMb(long value) {
        availableMb = value;
    }

    /** Reports {@code value} for the next {@code reads} readings only, then the set figure again. */
    public void dipTo(long value, int reads) {
        lowMb = value;
        lowReads.set(reads);
    }

    @Override
    public long availableMb() {
        return lowReads.getAndUpdate(left -> Math.max(0, left - 1)) > 0 ? lowMb : availableMb;
    }

    @Override
    public long usableMb() {
        return usableMb;
    }

    @Override
    public String describe() {
        return "set by the test: " + availableMb + " MB available of " + usableMb + " MB";
    }
}
