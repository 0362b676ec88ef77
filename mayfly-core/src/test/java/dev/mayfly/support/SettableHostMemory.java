package dev.mayfly.support;

import dev.mayfly.memory.HostMemory;

/** Host memory whose figures a test sets: the seam for admission and the host floor. */
public final class SettableHostMemory implements HostMemory {

    private volatile long availableMb;
    private final long usableMb;

    public SettableHostMemory(long availableMb, long usableMb) {
        this.availableMb = availableMb;
        this.usableMb = usableMb;
    }

    public void setAvailableMb(long value) {
        availableMb = value;
    }

    @Override
    public long availableMb() {
        return availableMb;
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
