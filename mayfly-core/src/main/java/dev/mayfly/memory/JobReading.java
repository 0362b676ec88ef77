package dev.mayfly.memory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task's memory at one moment: its whole process tree's.
 *
 * @param residentMb the tree's resident memory, shared pages counted once (the sum of PSS, or the
 *     task cgroup's own counter)
 * @param processes how many processes the tree had
 * @param largest the processes that held the most, largest first (at most three)
 */
public record JobReading(Instant at, double residentMb, int processes, List<ProcessUse> largest) {

    public static final int LARGEST = 3;

    public JobReading {
        largest = List.copyOf(largest);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("residentMb", Math.round(residentMb * 10) / 10.0);
        map.put("processes", processes);
        map.put("largest", ProcessUse.toMaps(largest));
        return map;
    }
}
