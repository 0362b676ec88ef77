package dev.mayfly.testagents;

import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;
import java.util.Map;

/**
 * Holds a few megabytes ("holdMb", default 8) for a while ("millis", default 1000), checking for
 * cancel requests, then returns. Used to overlap tasks and to see memory reports arrive.
 */
public class SleepingAgent implements Agent {
    @Override
    public Object run(TaskContext context) throws InterruptedException {
        long millis = Long.parseLong(context.params().getOrDefault("millis", "1000"));
        // Quarter-megabyte chunks: G1 stores an object of half a region or more (1 MB regions in
        // small heaps) as "humongous", in whole regions, which would double what is really held.
        int holdMb = Integer.parseInt(context.params().getOrDefault("holdMb", "8"));
        byte[][] held = new byte[holdMb * 4][];
        for (int i = 0; i < held.length; i++) {
            held[i] = new byte[256 * 1024];
        }
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (context.cancelled()) {
                throw new InterruptedException("cancelled");
            }
            Thread.sleep(20);
        }
        return Map.of("slept", millis, "heldMb", holdMb, "pid", ProcessHandle.current().pid());
    }
}
