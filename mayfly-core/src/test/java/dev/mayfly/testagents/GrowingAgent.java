package dev.mayfly.testagents;

import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Works in "steps" steps (default 320); each keeps "mbPerStep" more megabytes alive (default 1)
 * and waits "sleepMs" (default 10), then checkpoints "next step,sum". Its live memory only grows,
 * so a whole run needs steps × mbPerStep megabytes: more than its heap cap, unless it rotates.
 * The result depends only on the steps, not on how many workers ran them.
 */
public class GrowingAgent implements Agent {
    @Override
    public Object run(TaskContext context) throws InterruptedException {
        int steps = Integer.parseInt(context.params().getOrDefault("steps", "320"));
        int mbPerStep = Integer.parseInt(context.params().getOrDefault("mbPerStep", "1"));
        long sleepMs = Long.parseLong(context.params().getOrDefault("sleepMs", "10"));
        int next = 0;
        long sum = 0;
        if (context.lastCheckpoint().isPresent()) {
            String[] saved = context.lastCheckpoint().get().split(",");
            next = Integer.parseInt(saved[0]);
            sum = Long.parseLong(saved[1]);
        }
        List<byte[]> alive = new ArrayList<>();
        for (int step = next; step < steps; step++) {
            for (int i = 0; i < mbPerStep * 4; i++) {
                alive.add(new byte[256 * 1024]);
            }
            sum += (long) step * step;
            Thread.sleep(sleepMs);
            context.checkpoint((step + 1) + "," + sum);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("steps", steps);
        result.put("sum", sum);
        return result;
    }
}
