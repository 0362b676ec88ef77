package dev.mayfly.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How many workers are kept ready: the minimum, a recent burst's size, never past the pool's limit. */
class StandbyDemandTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final Duration IDLE = Duration.ofMinutes(1);

    @Test
    void a_one_shot_command_keeps_only_the_minimum_ready() {
        StandbyDemand none = new StandbyDemand(0, 4, Duration.ZERO);
        none.arrived(3, T0);
        assertThat(none.any()).isFalse();
        assertThat(none.target(0, 0, T0)).isEqualTo(new StandbyDemand.Target(0, 0, 0, "no task expected"));

        StandbyDemand two = new StandbyDemand(2, 4, Duration.ZERO);
        two.arrived(3, T0);
        assertThat(two.target(0, 0, T0)).isEqualTo(new StandbyDemand.Target(2, 2, 2, "MAYFLY_MIN_WORKERS=2"));
        assertThat(two.target(1, 1, T0).ready()).as("one of the two runs a task").isEqualTo(1);
        assertThat(two.target(3, 3, T0)).as("busier than the minimum: none ready")
                .isEqualTo(new StandbyDemand.Target(0, 0, 2, "MAYFLY_MIN_WORKERS=2"));
        assertThat(two.target(0, 1, T0)).as("a task waiting for its slot will take one of the two: none more to start, "
                + "both kept").isEqualTo(new StandbyDemand.Target(1, 2, 2, "MAYFLY_MIN_WORKERS=2"));
    }

    @Test
    void a_burst_is_met_with_as_many_ready_until_it_fades_then_the_minimum() {
        StandbyDemand demand = new StandbyDemand(1, 8, IDLE);
        demand.arrived(1, T0);
        demand.arrived(2, T0.plusMillis(5));
        demand.arrived(3, T0.plusMillis(10));

        assertThat(demand.target(3, 3, T0.plusSeconds(1)).ready()).as("all three run").isZero();
        StandbyDemand.Target after = demand.target(0, 0, T0.plusSeconds(2));
        assertThat(after).isEqualTo(new StandbyDemand.Target(3, 3, 3,
                "3 tasks at once in the last 1m (MAYFLY_STANDBY_IDLE)"));
        assertThat(demand.fades(T0.plusSeconds(2))).isTrue();

        Instant faded = T0.plusMillis(10).plus(IDLE).plusMillis(1);
        assertThat(demand.target(0, 0, faded)).isEqualTo(new StandbyDemand.Target(1, 1, 1, "MAYFLY_MIN_WORKERS=1"));
        assertThat(demand.fades(faded)).isFalse();
    }

    @Test
    void a_smaller_arrival_keeps_the_burst_remembered_until_it_fades_then_counts_alone() {
        StandbyDemand demand = new StandbyDemand(0, 8, IDLE);
        demand.arrived(5, T0);
        demand.arrived(1, T0.plusSeconds(30));
        assertThat(demand.target(0, 0, T0.plusSeconds(40)).ready()).isEqualTo(5);

        demand.arrived(1, T0.plusSeconds(90));
        assertThat(demand.target(0, 0, T0.plusSeconds(91))).isEqualTo(new StandbyDemand.Target(1, 1, 1,
                "1 task in the last 1m (MAYFLY_STANDBY_IDLE)"));
        assertThat(demand.target(0, 0, T0.plusSeconds(200))).isEqualTo(new StandbyDemand.Target(0, 0, 0,
                "no task in the last 1m"));
    }

    @Test
    void never_more_than_the_pool_limit_running_and_ready_together() {
        StandbyDemand demand = new StandbyDemand(0, 4, IDLE);
        demand.arrived(20, T0);
        assertThat(demand.target(4, 20, T0).ready()).as("the pool is full").isZero();
        assertThat(demand.target(3, 3, T0)).isEqualTo(new StandbyDemand.Target(1, 1, 4,
                "20 tasks at once in the last 1m (MAYFLY_STANDBY_IDLE), within MAYFLY_MAX_WORKERS=4"));
    }

    @Test
    void durations_are_said_as_the_setting_takes_them() {
        assertThat(StandbyDemand.written(Duration.ofMinutes(1))).isEqualTo("1m");
        assertThat(StandbyDemand.written(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(StandbyDemand.written(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(StandbyDemand.written(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }
}
