package dev.mayfly.store;

import dev.mayfly.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/** One entry of the append-only event log. */
public record EventRecord(long id, String taskId, String supervisorId, Instant at, String type, String dataJson) {

    /** The event's data as a map; empty when it is not a JSON object (the store writes only objects). */
    public Map<String, Object> data() {
        try {
            return Json.readObject(dataJson);
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }
}
