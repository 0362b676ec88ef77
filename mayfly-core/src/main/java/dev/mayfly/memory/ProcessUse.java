package dev.mayfly.memory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One process of a task and the memory it held, as last read.
 *
 * @param mb its proportional set size (shared pages divided among the processes that map them)
 */
public record ProcessUse(long pid, String command, double mb) {

    /** {@code python3 -c … (pid 4242) 498 MB}, for messages. */
    public String describe() {
        return String.format(Locale.ROOT, "%s (pid %d) %.0f MB", command, pid, mb);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("pid", pid);
        map.put("command", command);
        map.put("mb", Math.round(mb * 10) / 10.0);
        return map;
    }

    static List<Map<String, Object>> toMaps(List<ProcessUse> processes) {
        return processes.stream().map(ProcessUse::toMap).toList();
    }

    /** The processes as a list for a message, largest first. */
    public static String describe(List<ProcessUse> processes) {
        return processes.isEmpty() ? "no process left to name"
                : String.join(", ", processes.stream().map(ProcessUse::describe).toList());
    }
}
