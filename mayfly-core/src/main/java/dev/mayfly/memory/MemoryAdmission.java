package dev.mayfly.memory;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Lets a task start only when its cap fits in what the host has available less the reserve; until
 * then it waits in the queue, and says why. A task whose cap could never fit is refused when it is
 * given (the settings check caps against the host), so waiting here always has an end while memory
 * can come back.
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

    /** Why a task with this cap would wait now, or null when it fits. */
    public String whyWait(int capMb) {
        long available = host.availableMb();
        if (available < 0 || capMb <= available - reserveMb) {
            return null;
        }
        return String.format(Locale.ROOT, "waiting for memory: its cap of %d MB does not fit in the %d MB available "
                + "(%d MB less the %d MB reserve, MAYFLY_MEMORY_RESERVE_MB)", capMb, Math.max(0, available - reserveMb),
                available, reserveMb);
    }

    /**
     * Waits until the cap fits, telling {@code waiting} why once when it starts to wait.
     *
     * @param stop true when the task should no longer wait (the supervisor is stopping)
     * @return true when the task may start, false when it was stopped while it waited
     */
    public boolean await(int capMb, Consumer<String> waiting, BooleanSupplier stop) throws InterruptedException {
        boolean told = false;
        while (!stop.getAsBoolean()) {
            String why = whyWait(capMb);
            if (why == null) {
                return true;
            }
            if (!told) {
                waiting.accept(why);
                told = true;
            }
            synchronized (signal) {
                signal.wait(POLL_MS);
            }
        }
        return false;
    }

    /** Memory may have come back (a task ended): waiting tasks look again now. */
    public void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }
}
