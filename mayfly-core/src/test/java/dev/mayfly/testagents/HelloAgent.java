package dev.mayfly.testagents;

import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;
import java.util.Map;

/** Prints a line to standard output and one to standard error, from its own thread and one it starts. */
public class HelloAgent implements Agent {
    @Override
    public Object run(TaskContext context) throws InterruptedException {
        System.out.println("hello on stdout from " + context.taskId());
        System.err.println("hello on stderr from " + context.taskId());
        Thread helper = new Thread(() -> System.out.println("hello from a thread of " + context.taskId()));
        helper.start();
        helper.join();
        return Map.of("said", "hello");
    }
}
