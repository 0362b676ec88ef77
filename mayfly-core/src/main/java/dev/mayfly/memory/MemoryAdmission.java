package dev.mayfly.memory;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Lets a task start only when its cap fits in what the host has available less the reserve; until
 * then it waits in the queue, and says why. A cap that was given is held to; a default cap starts
 * smaller when less is available (but not below {@link MemorySettings#MIN_DEFAULT_START_MB}), since
 * it is a guard against a runaway and not a figure anyone asked for. A cap that could never fit is
 * refused when it is given (the settings check caps against the host), so waiting here has an end
 * as long as memory comes back.
 *
 * <p>Caps are ceilings, not reservations: most tasks use a fraction of theirs, and holding every
 * running task's whole cap aside would leave most of a host idle. The admission judges the memory
 * available now; when running tasks later grow together, the host floor ends the newest of the
 * lowest priority first (docs/memory.md).
 */
public final class MemoryAdmission {

    /** How often a waiting task looks at the host again, unless a task's end wakes it sooner. */
    static final long POLL_MS = 500;

    private final HostMemory host;
    private final int reserveMb;
    private final Object signal = new Object();

    MemoryAdmission(HostMemory host, int reserveMb) {
        this.host = host;
        this.reserveMb = reserveMb;
    }

    /** The cap a task may start with now, or -1 when it must wait. */
    public int grant(int capMb, boolean capGiven) {
        long available = host.availableMb();
        if (available < 0) {
            return capMb;
        }
        long room = available - reserveMb;
        if (capMb <= room) {
            return capMb;
        }
        return !capGiven && room >= Math.min(capMb, MemorySettings.MIN_DEFAULT_START_MB) ? (int) room : -1;
    }

    /** Why a task with this cap waits now, in one line. */
    public String whyWait(int capMb, boolean capGiven) {
        long available = host.availableMb();
        long room = Math.max(0, available - reserveMb);
        return capGiven
                ? String.format(Locale.ROOT, "waiting for memory: its cap of %d MB does not fit in the %d MB available "
                        + "(%d MB less the %d MB reserve, MAYFLY_MEMORY_RESERVE_MB)", capMb, room, available, reserveMb)
                : String.format(Locale.ROOT, "waiting for memory: %d MB available (%d MB less the %d MB reserve, "
                        + "MAYFLY_MEMORY_RESERVE_MB); a task with the default cap starts with at least %d MB", room,
                        available, reserveMb, Math.min(capMb, MemorySettings.MIN_DEFAULT_START_MB));
    }

    /**
     * Waits until the task may start, telling {@code waiting} why once when it starts to wait.
     *
     * @param stop true when the task should no longer wait (the supervisor is stopping)
     * @return the cap it starts with, or -1 when it was stopped while it waited
     */
    public int await(int capMb, boolean capGiven, Consumer<String> waiting, BooleanSupplier stop)
            throws InterruptedException {
        boolean told = false;
        while (!stop.getAsBoolean()) {
            int granted = grant(capMb, capGiven);
            if (granted > 0) {
                return granted;
            }
            if (!told) {
                waiting.accept(whyWait(capMb, capGiven));
                told = true;
            }
            synchronized (signal) {
                signal.wait(POLL_MS);
            }
        }
        return -1;
    }

    /** Memory may have come back (a task ended): waiting tasks look again now. */
    public void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }
}
