package dev.mayfly.testagents;

import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;

/** Ends its JVM with Runtime.halt: no shutdown hooks, no result, as a native crash would. */
public class HaltAgent implements Agent {
    @Override
    public Object run(TaskContext context) {
        Runtime.getRuntime().halt(1);
        return null;
    }
}
