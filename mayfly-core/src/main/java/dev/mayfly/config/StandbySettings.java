package dev.mayfly.config;

import dev.mayfly.log.RecordText;
import java.time.Duration;

/**
 * Worker JVMs a supervisor starts before their tasks arrive, each still used for one task only
 * (docs/workers.md, "Ready workers").
 *
 * @param minWorkers worker JVMs kept alive at the least, running a task or ready for one
 *     ({@code MAYFLY_MIN_WORKERS}); at most {@code MAYFLY_MAX_WORKERS}
 * @param idle how long a long-lived supervisor (a server) keeps as many ready as were asked for at
 *     once ({@code MAYFLY_STANDBY_IDLE}); zero keeps none beyond the minimum
 */
public record StandbySettings(int minWorkers, Duration idle) {

    public static final String DEFAULT_IDLE = "1m";

    /** As a record shows itself, without its first use's cost ({@link RecordText}). */
    @Override
    public String toString() {
        return RecordText.of(this);
    }
}
