package dev.mayfly.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.routing.Classification;
import dev.mayfly.routing.Mode;
import dev.mayfly.routing.RoutingDecision;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskOutcome;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.task.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store as the queue of several server nodes, whatever keeps it: claims (priority, age, free
 * slots, never twice), leases (a node found gone has its tasks settled, and learns it from its next
 * heartbeat) and fencing (what a lost claim reports late is refused and recorded). Each node is its
 * own store opened on the same database, as each node process has its own.
 */
abstract class StoreQueueContract {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final Duration BEAT = Duration.ofSeconds(1);

    @TempDir
    Path home;

    /** Node a's store and node b's, on one database. */
    private TaskStore a;
    private TaskStore b;

    /** A new, empty database, and a store on it. */
    protected abstract TaskStore openStore(Path home);

    /** Another store on the database {@link #openStore} made. */
    protected abstract TaskStore openAgain(Path home);

    @BeforeEach
    void open() {
        a = openStore(home);
        b = openAgain(home);
        a.registerSupervisor(SupervisorRecord.starting("node-a", "host-a", 101, T0, T0, BEAT));
        b.registerSupervisor(SupervisorRecord.starting("node-b", "host-b", 102, T0, T0, BEAT));
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    void claims_take_the_highest_priority_then_the_oldest_and_a_worker_task_only_into_a_free_slot() {
        submit("old-low", Mode.WORKER, 0, T0, 0);
        submit("new-high", Mode.WORKER, 5, T0.plusSeconds(1), 0);
        submit("quick", Mode.IN_PROCESS, 0, T0.plusSeconds(2), 0);

        assertThat(a.claimNext("node-a", false, T0).map(claim -> claim.task().id())).as("no free worker slot")
                .contains("quick");
        assertThat(a.claimNext("node-a", false, T0)).isEmpty();
        assertThat(b.claimNext("node-b", true, T0).map(claim -> claim.task().id())).contains("new-high");
        TaskStore.Claim last = a.claimNext("node-a", true, T0).orElseThrow();
        assertThat(last.task().id()).isEqualTo("old-low");
        assertThat(last.number()).as("its first claim").isEqualTo(1);
        assertThat(last.task().supervisorId()).isEqualTo("node-a");
        assertThat(b.claimNext("node-b", true, T0)).isEmpty();
    }

    @Test
    void two_nodes_claiming_at_once_never_claim_one_task_twice() throws Exception {
        int tasks = 60;
        for (int i = 0; i < tasks; i++) {
            submit(String.format("t%03d", i), Mode.WORKER, 0, T0.plusMillis(i), 0);
        }
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            Future<List<String>> byA = threads.submit(() -> claimAll(a, "node-a", go));
            Future<List<String>> byB = threads.submit(() -> claimAll(b, "node-b", go));
            go.countDown();
            List<String> all = new ArrayList<>(byA.get(60, TimeUnit.SECONDS));
            all.addAll(byB.get(60, TimeUnit.SECONDS));

            assertThat(all).hasSize(tasks).doesNotHaveDuplicates();
            assertThat(a.findTasks(new TaskFilter(null, null, tasks + 1))).allSatisfy(task ->
                    assertThat(a.events(task.id())).filteredOn(event -> event.type().equals("task_claimed")).hasSize(1));
        } finally {
            threads.shutdownNow();
        }
    }

    private static List<String> claimAll(TaskStore store, String node, CountDownLatch go) throws InterruptedException {
        go.await();
        List<String> claimed = new ArrayList<>();
        for (Optional<TaskStore.Claim> next = store.claimNext(node, true, T0); next.isPresent();
                next = store.claimNext(node, true, T0)) {
            claimed.add(next.get().task().id());
        }
        return Collections.unmodifiableList(claimed);
    }

    @Test
    void a_lost_node_s_running_task_runs_again_elsewhere_and_its_late_result_is_refused_and_recorded() {
        submit("t1", Mode.WORKER, 0, T0, 1);
        a.claimNext("node-a", true, T0).orElseThrow();
        a.markRunning("t1", 7L, T0);
        a.attempts().recordAttempt(AttemptRecord.started("t1", 1, AttemptRecord.Kind.FIRST, 256, 512, "watched", 7L, T0));
        a.saveCheckpoint("t1", 1, "{\"step\":1}", T0.plusSeconds(1));

        List<String> settled = b.settleOrphans(node -> !node.id().equals("node-a"), T0.plusSeconds(5));

        assertThat(settled).containsExactly("t1");
        TaskRecord requeued = b.findTask("t1").orElseThrow();
        assertThat(requeued.state()).isEqualTo(TaskState.QUEUED);
        assertThat(requeued.attempts()).isEqualTo(2);
        assertThat(requeued.waitReason()).startsWith("retry 1 of 1 on another node: supervisor node-a");
        TaskStore.Claim again = b.claimNext("node-b", true, T0.plusSeconds(6)).orElseThrow();
        assertThat(again.number()).isEqualTo(2);
        assertThat(again.retriesDone()).isEqualTo(1);
        b.markRunning("t1", 8L, T0.plusSeconds(6));

        // Node a comes back and reports what its lost claim did: all of it is refused.
        assertThat(a.finish("t1", TaskOutcome.completed(0, 10, 20, 30, "{\"by\":\"a\"}"), T0.plusSeconds(7))).isFalse();
        a.saveCheckpoint("t1", 1, "{\"step\":99}", T0.plusSeconds(7));
        a.attempts().recordAttempt(AttemptRecord.started("t1", 1, AttemptRecord.Kind.FIRST, 256, 512, "watched", 7L, T0)
                .ended(T0.plusSeconds(7), "completed", null, 20.0, 30.0, 0));
        assertThat(b.finish("t1", TaskOutcome.completed(0, 10, 20, 30, "{\"by\":\"b\"}"), T0.plusSeconds(8))).isTrue();

        TaskRecord done = b.findTask("t1").orElseThrow();
        assertThat(done.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(done.resultJson()).isEqualTo("{\"by\":\"b\"}");
        assertThat(b.latestCheckpoint("t1")).contains("{\"step\":1}");
        assertThat(b.events("t1")).extracting(EventRecord::type).containsOnlyOnce("task_completed")
                .contains("retry_scheduled", "late_result_refused");
        assertThat(b.events("t1")).filteredOn(event -> event.type().equals("late_result_refused"))
                .extracting(EventRecord::supervisorId).containsOnly("node-a");
        assertThat(b.events("t1")).filteredOn(event -> event.type().equals("late_result_refused"))
                .extracting(EventRecord::dataJson).anySatisfy(data -> assertThat(data).contains("\"write\":\"completed\"",
                        "claim 1 of node-a is no longer the task's"));
        assertThat(b.attempts().attempts("t1")).extracting(AttemptRecord::attempt, AttemptRecord::outcome)
                .containsExactly(tuple(1, "interrupted"));
    }

    @Test
    void without_retries_left_a_lost_node_s_running_task_ends_interrupted_naming_the_node() {
        submit("t1", Mode.WORKER, 0, T0, 0);
        a.claimNext("node-a", true, T0).orElseThrow();
        a.markRunning("t1", 7L, T0);

        assertThat(b.settleOrphans(node -> !node.id().equals("node-a"), T0.plusSeconds(5))).containsExactly("t1");

        TaskRecord ended = b.findTask("t1").orElseThrow();
        assertThat(ended.state()).isEqualTo(TaskState.FAILED);
        assertThat(ended.reason()).isEqualTo(FailureReason.INTERRUPTED);
        assertThat(ended.error()).contains("supervisor node-a (pid 101 on host-a) is gone", "no retries left");
    }

    @Test
    void a_claimed_task_that_had_not_started_goes_back_to_the_queue_when_its_node_is_gone() {
        submit("t1", Mode.WORKER, 0, T0, 0);
        a.claimNext("node-a", true, T0).orElseThrow();

        assertThat(b.settleOrphans(node -> !node.id().equals("node-a"), T0.plusSeconds(5)))
                .as("no attempt of it ended").isEmpty();

        assertThat(b.events("t1")).extracting(EventRecord::type).endsWith("task_claimed", "task_released");
        assertThat(b.claimNext("node-b", true, T0.plusSeconds(6)).map(claim -> claim.task().id())).contains("t1");
    }

    @Test
    void a_node_found_gone_learns_it_from_its_heartbeat_and_claims_nothing_until_it_rejoins() {
        submit("t1", Mode.WORKER, 0, T0, 0);
        assertThat(a.heartbeat("node-a", T0.plusSeconds(1), "{\"pool\":{\"size\":2}}")).isTrue();
        assertThat(a.heartbeat("node-a", T0.plusSeconds(1))).isTrue();
        assertThat(b.lastFigures("node-a")).as("kept from the beat that had them").contains("{\"pool\":{\"size\":2}}");
        assertThat(a.claimNext("node-a", true, T0.plusSeconds(1))).isPresent();
        b.settleOrphans(node -> !node.id().equals("node-a"), T0.plusSeconds(6));

        assertThat(a.heartbeat("node-a", T0.plusSeconds(7))).as("its lease is lost").isFalse();
        assertThat(a.claimNext("node-a", true, T0.plusSeconds(7))).as("a node without its lease claims nothing")
                .isEmpty();
        a.rejoin("node-a", T0.plusSeconds(8));
        assertThat(a.heartbeat("node-a", T0.plusSeconds(9))).isTrue();
        assertThat(a.claimNext("node-a", true, T0.plusSeconds(9)).map(claim -> claim.number())).contains(2);
    }

    @Test
    void a_lost_node_s_run_is_taken_over_by_one_node_which_keeps_the_steps_still_under_way_elsewhere() {
        RunStore runs = b.runs();
        a.runs().createRun(new RunRecord("run-1", "node-a", "spread", "built-in", "steps: []", "Ship it", "{}", 0.8,
                RunRecord.State.RUNNING, null, home.resolve("runs/run-1").toString(), T0, null),
                List.of("done", "elsewhere", "lost"), true);
        a.runs().stepStarted("run-1", "done", T0);
        a.runs().stepEnded("run-1", "done", RunStepRecord.State.COMPLETED, "{}", null, T0);
        submit("t-elsewhere", Mode.WORKER, 0, T0, 0);
        b.markRunning(b.claimNext("node-b", true, T0).orElseThrow().task().id(), 8L, T0);
        a.runs().stepStarted("run-1", "elsewhere", T0);
        a.runs().stepTask("run-1", "elsewhere", "t-elsewhere");
        submit("t-lost", Mode.WORKER, 0, T0.plusMillis(1), 0);
        a.markRunning(a.claimNext("node-a", true, T0).orElseThrow().task().id(), 7L, T0);
        a.runs().stepStarted("run-1", "lost", T0);
        a.runs().stepTask("run-1", "lost", "t-lost");

        b.settleOrphans(node -> !node.id().equals("node-a"), T0.plusSeconds(5));
        assertThat(runs.serverRunsLeft(node -> !node.id().equals("node-a"))).containsExactly("run-1");

        assertThat(runs.takeOverRun("run-1", "node-a", "node-b", T0.plusSeconds(6))).isTrue();
        assertThat(a.runs().takeOverRun("run-1", "node-a", "node-c", T0.plusSeconds(6))).as("taken once").isFalse();
        runs.restartRun("run-1", "node-b", T0.plusSeconds(6));
        assertThat(runs.findRun("run-1").orElseThrow().supervisorId()).isEqualTo("node-b");
        assertThat(runs.steps("run-1")).extracting(RunStepRecord::stepId, RunStepRecord::state).containsExactly(
                tuple("done", RunStepRecord.State.COMPLETED), tuple("elsewhere", RunStepRecord.State.RUNNING),
                tuple("lost", RunStepRecord.State.WAITING));
    }

    private void submit(String id, Mode mode, int priority, Instant at, int retries) {
        TaskRequest request = TaskRequest.builder("Implement " + id, AgentSpec.builtin("probe")).complexity(0.8)
                .workDir(home).limits(new TaskLimits(256, 512, Duration.ofMinutes(10), retries, false, false))
                .priority(priority).build();
        RoutingDecision routing = new RoutingDecision(mode, new Classification(mode == Mode.WORKER, 0.8, "test"),
                "test", true);
        a.createServerTask(new NewTask(id, "node-a", request, routing, home.resolve(id + ".log"), at),
                "{\"prompt\":\"" + id + "\"}");
    }
}
