package dev.mayfly.testagents;

import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;

/** Ends its JVM with System.exit(7) instead of returning. */
public class ExitSevenAgent implements Agent {
    @Override
    public Object run(TaskContext context) {
        System.exit(7);
        return null;
    }
}
