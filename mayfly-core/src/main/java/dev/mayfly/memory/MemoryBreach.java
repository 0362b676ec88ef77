package dev.mayfly.memory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Why memory ended a task: its tree passed its cap (seen by the watch, or by the kernel in its
 * cgroup), or the host ran low and this task was the one to go. Its processes are already ended.
 *
 * @param cause what ended it
 * @param residentMb what the tree held at the end
 * @param capMb the task's cap
 * @param largest the processes that held the most
 * @param availableMb the host's available memory, for {@link Cause#HOST_LOW}
 * @param floorMb the host floor, for {@link Cause#HOST_LOW}
 */
public record MemoryBreach(Cause cause, double residentMb, int capMb, List<ProcessUse> largest, long availableMb,
        int floorMb) {

    public enum Cause {
        /** The watch saw the tree pass its cap and ended it. */
        CAP,
        /** The kernel's OOM killer ended the tree in its cgroup, at {@code memory.max}. */
        KERNEL,
        /** The host's available memory fell below the floor, and this task was chosen to end. */
        HOST_LOW;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public MemoryBreach {
        largest = List.copyOf(largest);
    }

    /** One line for the task's error: the cap, the peak, and the processes that held the most. */
    public String message() {
        String processes = "largest: " + ProcessUse.describe(largest);
        switch (cause) {
            case KERNEL:
                return String.format(Locale.ROOT, "the kernel ended the task's processes at its memory cap of %d MB "
                        + "(cgroup memory.max; %.0f MB at the last reading); %s", capMb, residentMb, processes);
            case HOST_LOW:
                return String.format(Locale.ROOT, "the host was low on memory: %d MB available, below the floor of %d MB "
                        + "(MAYFLY_HOST_FLOOR_MB); this task was ended first (lowest priority, newest) holding %.0f MB of "
                        + "its %d MB cap; %s", availableMb, floorMb, residentMb, capMb, processes);
            default:
                return String.format(Locale.ROOT, "the task's processes held %.0f MB, past its memory cap of %d MB "
                        + "(--memory-mb / MAYFLY_MEMORY_MB); %s", residentMb, capMb, processes);
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("by", cause.label());
        map.put("residentMb", Math.round(residentMb * 10) / 10.0);
        map.put("capMb", capMb);
        if (cause == Cause.HOST_LOW) {
            map.put("availableMb", availableMb);
            map.put("floorMb", floorMb);
        }
        map.put("largest", ProcessUse.toMaps(largest));
        return map;
    }
}
