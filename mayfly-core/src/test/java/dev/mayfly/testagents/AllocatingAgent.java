package dev.mayfly.testagents;

import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;
import java.util.ArrayList;
import java.util.List;

/** Keeps every megabyte it allocates, until the heap runs out; param "pauseMs" waits after each. */
public class AllocatingAgent implements Agent {
    @Override
    public Object run(TaskContext context) throws InterruptedException {
        long pause = Long.parseLong(context.params().getOrDefault("pauseMs", "0"));
        List<byte[]> kept = new ArrayList<>();
        while (true) {
            // Quarter megabytes: below G1's humongous size in small heaps, so the heap fills evenly.
            for (int i = 0; i < 4; i++) {
                kept.add(new byte[256 * 1024]);
            }
            if (pause > 0) {
                Thread.sleep(pause);
            }
        }
    }
}
