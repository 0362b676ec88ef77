package dev.mayfly.testagents;

import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;
import java.util.ArrayList;
import java.util.List;

/** Keeps every megabyte it allocates, until the heap runs out. */
public class AllocatingAgent implements Agent {
    @Override
    public Object run(TaskContext context) {
        List<byte[]> kept = new ArrayList<>();
        while (true) {
            kept.add(new byte[1024 * 1024]);
        }
    }
}
