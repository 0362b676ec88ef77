package dev.mayfly.testagents;

import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;
import java.util.concurrent.CountDownLatch;

/** Never returns and ignores cancel requests: only a kill ends it. */
public class HangingAgent implements Agent {
    @Override
    public Object run(TaskContext context) throws InterruptedException {
        new CountDownLatch(1).await();
        return null;
    }
}
