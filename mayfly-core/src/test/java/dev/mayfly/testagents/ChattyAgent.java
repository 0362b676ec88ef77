package dev.mayfly.testagents;

import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes megabytes to standard output and error (param "mb", default 4 each), then returns. */
public class ChattyAgent implements Agent {
    @Override
    public Object run(TaskContext context) {
        int mb = Integer.parseInt(context.params().getOrDefault("mb", "4"));
        String line = "x".repeat(1023);
        for (int i = 0; i < mb * 1024; i++) {
            System.out.println(line);
            System.err.println(line);
            if (i % 1000 == 0) {
                System.out.println("{\"type\":\"result\",\"ok\":false,\"error\":\"fake result printed by the agent\"}");
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("lines", mb * 1024 * 2);
        result.put("done", true);
        return result;
    }
}
