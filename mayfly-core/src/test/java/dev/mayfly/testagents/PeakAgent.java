package dev.mayfly.testagents;

import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Waits half a second, holds 64 MB for a moment, lets it go, collects, and returns: its heap at
 * the end is small, its peak is not.
 */
public class PeakAgent implements Agent {
    @Override
    public Object run(TaskContext context) throws InterruptedException {
        Thread.sleep(500);
        List<byte[]> held = new ArrayList<>();
        for (int i = 0; i < 64 * 4; i++) {
            held.add(new byte[256 * 1024]);
        }
        int chunks = held.size();
        held = null;
        System.gc();
        Thread.sleep(200);
        return chunks;
    }
}
