package dev.mayfly.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.store.SupervisorRecord;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Alive or gone, from this host (its process) and from another (its heartbeat). */
class SupervisorLivenessTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final Duration EVERY_10_S = Duration.ofSeconds(10);

    private static SupervisorRecord elsewhere(Instant heartbeatAt, Duration interval, Instant stoppedAt) {
        return new SupervisorRecord("supervisor-far", "another-machine", 77, null, NOW.minusSeconds(3600), heartbeatAt,
                interval, stoppedAt);
    }

    @Test
    void another_machine_s_supervisor_is_alive_until_it_has_missed_three_beats() {
        assertThat(SupervisorLiveness.isAlive(elsewhere(NOW.minusSeconds(29), EVERY_10_S, null), "here", NOW)).isTrue();
        assertThat(SupervisorLiveness.isAlive(elsewhere(NOW.minusSeconds(30), EVERY_10_S, null), "here", NOW)).isTrue();
        assertThat(SupervisorLiveness.isAlive(elsewhere(NOW.minusSeconds(31), EVERY_10_S, null), "here", NOW)).isFalse();
        // Its own interval counts, not this supervisor's.
        assertThat(SupervisorLiveness.isAlive(elsewhere(NOW.minusSeconds(100), Duration.ofMinutes(1), null), "here", NOW))
                .isTrue();
    }

    @Test
    void one_that_never_beat_cannot_be_told_from_here_and_is_left_alone_and_one_that_stopped_is_gone() {
        assertThat(SupervisorLiveness.isAlive(elsewhere(null, null, null), "here", NOW)).isTrue();
        assertThat(SupervisorLiveness.isAlive(elsewhere(NOW, EVERY_10_S, NOW.minusSeconds(1)), "here", NOW)).isFalse();
    }

    @Test
    void on_this_host_the_process_decides_whatever_the_heartbeat_says() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        Instant started = self.info().startInstant().orElse(null);
        SupervisorRecord running = new SupervisorRecord("supervisor-me", "here", self.pid(), started, NOW,
                NOW.minusSeconds(3600), EVERY_10_S, null);
        assertThat(SupervisorLiveness.isAlive(running, "here", NOW)).as("this very process, an hour without a beat").isTrue();

        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        SupervisorRecord gone = new SupervisorRecord("supervisor-old", "here", ended.pid(), null, NOW, NOW, EVERY_10_S, null);
        assertThat(SupervisorLiveness.isAlive(gone, "here", NOW)).as("a process that has exited, its beat fresh").isFalse();
    }

    @Test
    void this_host_is_named_as_the_jdk_names_it_without_a_lookup() throws Exception {
        // Supervisor rows written before carry the JDK's name for the host: the same host must keep its name.
        String expected = System.getenv("HOSTNAME") != null && !System.getenv("HOSTNAME").isBlank() ? System.getenv("HOSTNAME")
                : java.net.InetAddress.getLocalHost().getHostName();
        assertThat(SupervisorLiveness.thisHost()).isEqualTo(expected).isNotBlank();
    }
}
