package dev.mayfly.worker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One reading of a JVM's memory, in megabytes (the SPEC's memory report fields).
 *
 * @param heapUsedPercent heap used as a percentage of the heap cap ({@code heapMax})
 * @param rss resident set size of the whole process, or -1 where the platform does not tell
 */
public record MemorySample(
        double heapUsed,
        double heapCommitted,
        double heapMax,
        double heapUsedPercent,
        double nonHeap,
        double rss,
        long gcCount,
        long gcTimeMs) {

    /** A sample of no JVM: the tree of an in-process command has none of its own. */
    public static final MemorySample NO_JVM = new MemorySample(-1, -1, -1, -1, -1, -1, -1, -1);

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("heapUsed", round(heapUsed));
        map.put("heapCommitted", round(heapCommitted));
        map.put("heapMax", round(heapMax));
        map.put("heapUsedPercent", round(heapUsedPercent));
        map.put("nonHeap", round(nonHeap));
        map.put("rss", round(rss));
        map.put("gcCount", gcCount);
        map.put("gcTimeMs", gcTimeMs);
        return map;
    }

    public static MemorySample fromMap(Map<String, Object> map) {
        return new MemorySample(
                number(map, "heapUsed"),
                number(map, "heapCommitted"),
                number(map, "heapMax"),
                number(map, "heapUsedPercent"),
                number(map, "nonHeap"),
                number(map, "rss"),
                (long) number(map, "gcCount"),
                (long) number(map, "gcTimeMs"));
    }

    private static double number(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value instanceof Number ? ((Number) value).doubleValue() : -1;
    }

    public static double round(double megabytes) {
        return Math.round(megabytes * 100) / 100.0;
    }
}
