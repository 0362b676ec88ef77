package dev.mayfly.testagents;

import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;

/** Throws. */
public class FailingAgent implements Agent {
    @Override
    public Object run(TaskContext context) {
        throw new IllegalStateException("the agent failed on purpose");
    }
}
