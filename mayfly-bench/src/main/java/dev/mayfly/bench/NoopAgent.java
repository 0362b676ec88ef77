package dev.mayfly.bench;

import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;

/** The empty task: returns at once. What is measured around it is Mayfly's own cost. */
public class NoopAgent implements Agent {
    @Override
    public Object run(TaskContext context) {
        return "done";
    }
}
