package dev.mayfly.agent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an agent's run ended, before anything knows where it ran.
 *
 * @param ok the agent returned a result
 * @param resultJson the result as JSON text, when ok
 * @param error what went wrong, when not ok
 * @param errorType the exception's class name, when not ok
 * @param outOfMemory the agent failed with an OutOfMemoryError it could see (direct buffers, say)
 * @param exitCode the agent's own exit code (a command's), or null
 * @param executionTimeMs how long the agent ran
 * @param rotated a command agent was stopped to continue its session in a fresh process (never sent as a
 *     result: a worker says {@code rotated} instead and ends)
 */
public record AgentOutcome(boolean ok, String resultJson, String error, String errorType,
        boolean outOfMemory, Integer exitCode, long executionTimeMs, boolean rotated) {

    public AgentOutcome(boolean ok, String resultJson, String error, String errorType, boolean outOfMemory,
            Integer exitCode, long executionTimeMs) {
        this(ok, resultJson, error, errorType, outOfMemory, exitCode, executionTimeMs, false);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("ok", ok);
        map.put("resultJson", resultJson);
        map.put("error", error);
        map.put("errorType", errorType);
        map.put("outOfMemory", outOfMemory);
        map.put("exitCode", exitCode);
        map.put("executionTimeMs", executionTimeMs);
        return map;
    }

    public static AgentOutcome fromMap(Map<String, Object> map) {
        Object exitCode = map.get("exitCode");
        Object time = map.get("executionTimeMs");
        return new AgentOutcome(
                Boolean.TRUE.equals(map.get("ok")),
                (String) map.get("resultJson"),
                (String) map.get("error"),
                (String) map.get("errorType"),
                Boolean.TRUE.equals(map.get("outOfMemory")),
                exitCode instanceof Number ? ((Number) exitCode).intValue() : null,
                time instanceof Number ? ((Number) time).longValue() : 0);
    }
}
