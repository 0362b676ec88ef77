package dev.mayfly.bench;

import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;
import java.time.Instant;
import java.util.Map;

/** The empty task that says when it began, in microseconds of the wall clock every process here shares. */
public class StartTimeAgent implements Agent {

    static final String FIELD = "startedAtMicros";

    @Override
    public Object run(TaskContext context) {
        return Map.of(FIELD, micros(Instant.now()));
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }
}
