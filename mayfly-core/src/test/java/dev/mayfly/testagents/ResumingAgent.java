package dev.mayfly.testagents;

import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;
import java.util.Map;

/**
 * Counts to "steps" (default 5), checkpointing each step; its result says the step it began at (0,
 * or where its last checkpoint left it), so that a test sees that a run went on from a checkpoint.
 */
public class ResumingAgent implements Agent {
    @Override
    public Object run(TaskContext context) {
        int steps = Integer.parseInt(context.params().getOrDefault("steps", "5"));
        int first = context.lastCheckpoint().map(Integer::parseInt).orElse(0);
        for (int step = first; step < steps; step++) {
            context.checkpoint(Integer.toString(step + 1));
        }
        return Map.of("firstStep", first, "steps", steps);
    }
}
