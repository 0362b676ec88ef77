package dev.mayfly.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.api.ContextSegment;
import dev.mayfly.memory.JobReading;
import dev.mayfly.routing.Classification;
import dev.mayfly.routing.Mode;
import dev.mayfly.routing.RoutingDecision;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskOutcome;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.task.TaskState;
import dev.mayfly.worker.MemorySample;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every store must do, whatever keeps it: each verb of {@link TaskStore}, {@link RunStore},
 * {@link BatchStore} and {@link AttemptStore}, the guarded transitions, the append-only events,
 * orphans, checkpoints and context segments. A store passes by extending this class; what only one
 * kind of store has (SQLite's journal, its migrations) is tested beside it.
 */
abstract class TaskStoreContract {

    protected static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final Duration BEAT = Duration.ofSeconds(10);

    @TempDir
    Path home;

    protected TaskStore store;

    /** A new, empty store, kept under {@code home} when it keeps files. */
    protected abstract TaskStore openStore(Path home);

    @BeforeEach
    void open() {
        store = openStore(home);
        store.registerSupervisor(SupervisorRecord.starting("supervisor-1", "host-a", 123, T0, T0, BEAT));
    }

    @AfterEach
    void close() {
        store.close();
    }

    protected void create(String id) {
        createAt(id, T0);
    }

    @Test
    void a_task_is_stored_with_its_request_and_routing_decision() {
        create("t1");

        TaskRecord task = store.findTask("t1").orElseThrow();
        assertThat(task.state()).isEqualTo(TaskState.QUEUED);
        assertThat(task.mode()).isEqualTo(Mode.WORKER);
        assertThat(task.routingReason()).isEqualTo("long-running task: because");
        assertThat(task.heapLimitMb()).isEqualTo(256);
        assertThat(task.timeoutMs()).isEqualTo(600_000);
        assertThat(task.priority()).isEqualTo(3);
        assertThat(task.paramsJson()).isEqualTo("{\"a\":\"1\"}");
        assertThat(task.agent()).isEqualTo("probe");
        assertThat(store.events("t1")).extracting(EventRecord::type).containsExactly("task_queued");
    }

    @Test
    void transitions_follow_the_state_machine_and_are_recorded_as_events() {
        create("t1");

        assertThat(store.markRunning("t1", 999L, T0.plusSeconds(1))).isTrue();
        assertThat(store.markRunning("t1", 999L, T0.plusSeconds(2))).isFalse();
        assertThat(store.finish("t1", TaskOutcome.failed(FailureReason.OUT_OF_MEMORY, 3, 1500, 127.5, 300, "oom"),
                T0.plusSeconds(3))).isTrue();
        // A finished task cannot be finished again, nor run.
        assertThat(store.finish("t1", TaskOutcome.completed(0, 1, 1, 1, "{}"), T0.plusSeconds(4))).isFalse();
        assertThat(store.markRunning("t1", 1L, T0.plusSeconds(5))).isFalse();

        TaskRecord task = store.findTask("t1").orElseThrow();
        assertThat(task.state()).isEqualTo(TaskState.FAILED);
        assertThat(task.reason()).isEqualTo(FailureReason.OUT_OF_MEMORY);
        assertThat(task.exitCode()).isEqualTo(3);
        assertThat(task.pid()).isEqualTo(999L);
        assertThat(task.executionTimeMs()).isEqualTo(1500);
        assertThat(task.memoryPeakMb()).isEqualTo(127.5);
        assertThat(task.startedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(task.finishedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(task.version()).isEqualTo(2);
        assertThat(store.events("t1")).extracting(EventRecord::type)
                .containsExactly("task_queued", "task_running", "task_failed");
    }

    @Test
    void memory_samples_are_kept_in_order_with_the_process_tree_beside_the_heap() {
        create("t1");
        store.recordMemorySample("t1", new MemorySample(10, 20, 128, 7.8, 5, 60, 1, 2), null, T0.plusMillis(100));
        store.recordMemorySample("t1", new MemorySample(30, 40, 128, 23.4, 6, 80, 2, 3),
                new JobReading(T0.plusMillis(200), 312.345, 3, List.of()), T0.plusMillis(200));
        store.recordMemorySample("t1", MemorySample.NO_JVM, new JobReading(T0.plusMillis(300), 20, 1, List.of()),
                T0.plusMillis(300));

        List<MemorySampleRecord> samples = store.memorySamples("t1");
        assertThat(samples).extracting(sample -> sample.sample().heapUsed()).containsExactly(10.0, 30.0, -1.0);
        assertThat(samples.get(1).at()).isEqualTo(T0.plusMillis(200));
        assertThat(samples.get(1).sample().gcCount()).isEqualTo(2);
        assertThat(samples).extracting(MemorySampleRecord::residentMb).containsExactly(null, 312.35, 20.0);
        assertThat(samples).extracting(MemorySampleRecord::processes).containsExactly(null, 3, 1);
        assertThat(store.memorySamples("t1", T0.plusMillis(100))).as("those after a time, for a live view")
                .extracting(MemorySampleRecord::at).containsExactly(T0.plusMillis(200), T0.plusMillis(300));
        assertThat(store.latestMemorySample("t1")).as("what it holds now").contains(samples.get(2));
        assertThat(store.latestMemorySample("nothing")).isEmpty();
        store.appendEvent("t1", "supervisor-1", "progress", Map.of("percent", 50), T0.plusMillis(400));
        List<EventRecord> events = store.events("t1");
        assertThat(events).extracting(EventRecord::type).containsExactly("task_queued", "progress");
        assertThat(store.events("t1", events.get(0).id())).isEqualTo(events.subList(1, 2));
        assertThat(store.events("t1", events.get(events.size() - 1).id())).isEmpty();
    }

    @Test
    void a_retry_puts_a_running_task_back_in_the_queue_with_its_new_limits_and_every_attempt_is_kept() {
        create("t1");
        TaskRecord created = store.findTask("t1").orElseThrow();
        assertThat(created.memoryCapMb()).as("the default cap").isEqualTo(8192);
        store.waiting("t1", "waiting for memory: its cap of 512 MB does not fit", T0);
        assertThat(store.findTask("t1").orElseThrow().waitReason()).startsWith("waiting for memory");
        store.markRunning("t1", 5L, T0.plusMillis(10));
        assertThat(store.findTask("t1").orElseThrow().waitReason()).isNull();
        AttemptRecord first = AttemptRecord.started("t1", 1, AttemptRecord.Kind.FIRST, 256, 512, "watched", 5L, T0);
        store.attempts().recordAttempt(first);
        store.attempts().recordAttempt(first.ended(T0.plusMillis(50), "out_of_memory", "past its cap", 40.0, 530.0, 1));

        store.retryScheduled("t1", 2, 384, 768, 2000, "retry 1 of 2 in 2.0 s after out_of_memory", T0.plusMillis(60));

        TaskRecord waiting = store.findTask("t1").orElseThrow();
        assertThat(waiting.state()).isEqualTo(TaskState.QUEUED);
        assertThat(waiting.attempts()).isEqualTo(2);
        assertThat(waiting.heapLimitMb()).isEqualTo(384);
        assertThat(waiting.memoryCapMb()).isEqualTo(768);
        assertThat(waiting.waitReason()).isEqualTo("retry 1 of 2 in 2.0 s after out_of_memory");
        assertThat(store.markRunning("t1", 6L, T0.plusMillis(2100))).isTrue();
        store.attempts().recordAttempt(AttemptRecord.started("t1", 2, AttemptRecord.Kind.RETRY, 384, 768, "watched", 6L,
                T0.plusMillis(2100)));
        store.finish("t1", TaskOutcome.completed(0, 40, 50, 90, "{}").withTree(600, 768), T0.plusMillis(3000));

        TaskRecord done = store.findTask("t1").orElseThrow();
        assertThat(done.residentPeakMb()).isEqualTo(600.0);
        assertThat(done.startedAt()).as("the first start").isEqualTo(T0.plusMillis(10));
        List<AttemptRecord> attempts = store.attempts().attempts("t1");
        assertThat(attempts).extracting(AttemptRecord::kind).containsExactly(AttemptRecord.Kind.FIRST, AttemptRecord.Kind.RETRY);
        assertThat(attempts.get(0).outcome()).isEqualTo("out_of_memory");
        assertThat(attempts.get(0).residentPeakMb()).isEqualTo(530.0);
        assertThat(attempts.get(0).escaped()).isEqualTo(1);
        assertThat(attempts.get(1).memoryCapMb()).isEqualTo(768);
        assertThat(store.events("t1")).extracting(EventRecord::type).contains("waiting", "retry_scheduled");
    }

    @Test
    void orphans_of_a_dead_supervisor_are_settled_and_a_live_ones_are_left_alone() {
        create("t1");
        store.markRunning("t1", 5L, T0);
        store.registerSupervisor(SupervisorRecord.starting("supervisor-2", "host-a", 456, T0, T0, BEAT));
        TaskRequest request = TaskRequest.builder("Fix", AgentSpec.builtin("probe")).complexity(0.1).workDir(home)
                .limits(TaskLimits.of(64, Duration.ofMinutes(1))).build();
        RoutingDecision routing = new RoutingDecision(Mode.IN_PROCESS, new Classification(false, 0.1, "short"), "short", true);
        store.createTask(new NewTask("t2", "supervisor-2", request, routing, home.resolve("t2.log"), T0));

        List<String> settled = store.settleOrphans(owner -> owner.id().equals("supervisor-2"), T0.plusSeconds(9));

        assertThat(settled).containsExactly("t1");
        assertThat(store.findTask("t1").orElseThrow().reason()).isEqualTo(FailureReason.INTERRUPTED);
        assertThat(store.findTask("t2").orElseThrow().state()).isEqualTo(TaskState.QUEUED);
    }

    @Test
    void a_gone_server_s_unclaimed_tasks_stay_in_the_queue_for_any_node_and_its_running_one_is_settled() {
        store.registerSupervisor(SupervisorRecord.starting("server-old", "host-a", 456, T0, T0, BEAT));
        store.registerSupervisor(SupervisorRecord.starting("server-new", "host-a", 458, T0, T0, BEAT));
        store.createServerTask(newTask("t-queued", "server-old", T0), "{\"prompt\":\"queued\"}");
        store.createServerTask(newTask("t-running", "server-old", T0.minusSeconds(1)), "{\"prompt\":\"running\"}");
        assertThat(store.claimNext("server-old", true, T0).orElseThrow().task().id()).isEqualTo("t-running");
        store.markRunning("t-running", 5L, T0);

        List<String> settled = store.settleOrphans(owner -> owner.id().equals("server-new"), T0.plusSeconds(1));
        TaskStore.Claim claim = store.claimNext("server-new", true, T0.plusSeconds(2)).orElseThrow();

        assertThat(settled).as("its running task, without retries, ends; the queued one waits").containsExactly("t-running");
        assertThat(store.findTask("t-running").orElseThrow().reason()).isEqualTo(FailureReason.INTERRUPTED);
        assertThat(store.findTask("t-running").orElseThrow().error()).contains("server-old", "no retries left");
        assertThat(claim.task().id()).isEqualTo("t-queued");
        assertThat(claim.requestJson()).isEqualTo("{\"prompt\":\"queued\"}");
        assertThat(claim.task().supervisorId()).isEqualTo("server-new");
        assertThat(store.events("t-queued")).extracting(EventRecord::type).containsExactly("task_queued", "task_claimed");
        assertThat(store.claimNext("server-new", true, T0.plusSeconds(3))).as("nothing is claimed twice").isEmpty();
    }

    @Test
    void only_the_latest_checkpoint_is_kept_and_each_save_is_an_event() {
        create("t1");
        store.saveCheckpoint("t1", 1, "{\"step\":1}", T0);
        store.saveCheckpoint("t1", 2, "{\"step\":2}", T0.plusSeconds(1));

        assertThat(store.latestCheckpoint("t1")).contains("{\"step\":2}");
        assertThat(store.events("t1")).filteredOn(event -> event.type().equals("checkpoint")).hasSize(2);
    }

    @Test
    void a_context_segment_saved_again_replaces_it_and_drops_the_later_ones() {
        create("t1");
        for (int seq = 0; seq < 4; seq++) {
            store.saveContextSegment("t1", 1, ContextSegment.turn(seq, seq < 2 ? ContextSegment.HEAD : ContextSegment.RECENT,
                    "user", "turn " + seq, 3), T0);
        }
        // A second attempt continues from a checkpoint taken after segment 1: 2 and 3 were never checkpointed.
        store.saveContextSegment("t1", 2, ContextSegment.turn(2, ContextSegment.RECENT, "assistant", "turn 2 again", 4), T0);
        store.saveContextSegment("t1", 2, ContextSegment.summary(3, "summary of 2", 2, 2), T0);

        assertThat(store.contextSegments("t1")).extracting(ContextSegment::content)
                .containsExactly("turn 0", "turn 1", "turn 2 again", "summary of 2");
        assertThat(store.contextSegments("t1").get(3)).isEqualTo(ContextSegment.summary(3, "summary of 2", 2, 2));
        assertThat(store.contextTiers("t1")).containsExactly(new ContextTier("head", 2, 6),
                new ContextTier("mid-term", 1, 2), new ContextTier("recent", 1, 4));
        assertThat(store.contextTiers("t2")).isEmpty();
    }

    @Test
    void the_store_refuses_a_change_the_tables_do_not_allow_and_changes_nothing() {
        RunStore runs = store.runs();
        runs.createRun(new RunRecord("run-1", "supervisor-1", "review", "built-in", "steps: []", "Review it", "{}", 0.8,
                RunRecord.State.RUNNING, null, home.resolve("runs/run-1").toString(), T0, null), List.of("a", "b"));

        assertThatThrownBy(() -> runs.stepEnded("run-1", "a", RunStepRecord.State.COMPLETED, "{}", null, T0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("step 'a' of run run-1 cannot go from waiting to completed");
        runs.stepStarted("run-1", "a", T0);
        runs.stepEnded("run-1", "a", RunStepRecord.State.COMPLETED, "{\"ok\":true}", null, T0);
        runs.stepEnded("run-1", "b", RunStepRecord.State.SKIPPED, null, "needs 'x'", T0);
        assertThatThrownBy(() -> runs.stepStarted("run-1", "a", T0))
                .hasMessage("step 'a' of run run-1 cannot go from completed to running");
        runs.runEnded("run-1", RunRecord.State.COMPLETED, null, T0);
        assertThatThrownBy(() -> runs.restartRun("run-1", "supervisor-1", T0))
                .hasMessage("run run-1 cannot go from completed to running");
        assertThatThrownBy(() -> runs.stepStarted("run-1", "c", T0)).hasMessage("run run-1 has no step 'c'");

        assertThat(runs.findRun("run-1").orElseThrow().state()).isEqualTo(RunRecord.State.COMPLETED);
        assertThat(runs.steps("run-1")).extracting(RunStepRecord::state)
                .containsExactly(RunStepRecord.State.COMPLETED, RunStepRecord.State.SKIPPED);
        assertThat(runs.steps("run-1").get(0).resultJson()).isEqualTo("{\"ok\":true}");
    }

    @Test
    void a_resumed_run_keeps_its_completed_steps_and_sets_the_others_waiting() {
        RunStore runs = store.runs();
        runs.createRun(new RunRecord("run-2", "supervisor-1", "review", "built-in", "steps: []", "Review it", "{}", 0.8,
                RunRecord.State.RUNNING, null, home.resolve("runs/run-2").toString(), T0, null), List.of("a", "b", "c", "d"));
        runs.stepStarted("run-2", "a", T0);
        runs.stepEnded("run-2", "a", RunStepRecord.State.COMPLETED, "{}", null, T0);
        runs.stepStarted("run-2", "b", T0);
        runs.stepEnded("run-2", "b", RunStepRecord.State.FAILED, null, "error: boom", T0);
        runs.stepEnded("run-2", "c", RunStepRecord.State.SKIPPED, null, "needs 'b'", T0);
        runs.runEnded("run-2", RunRecord.State.FAILED, "b", T0);

        runs.restartRun("run-2", "supervisor-1", T0.plusSeconds(60));

        RunRecord run = runs.findRun("run-2").orElseThrow();
        assertThat(run.state()).isEqualTo(RunRecord.State.RUNNING);
        assertThat(run.failedStep()).isNull();
        assertThat(runs.steps("run-2")).extracting(RunStepRecord::state).containsExactly(RunStepRecord.State.COMPLETED,
                RunStepRecord.State.WAITING, RunStepRecord.State.WAITING, RunStepRecord.State.WAITING);
        assertThat(runs.steps("run-2")).extracting(RunStepRecord::error).containsOnlyNulls();
    }

    @Test
    void a_healthy_store_describes_itself_and_has_nothing_wrong() {
        assertThat(store.describe()).isNotBlank();
        assertThat(store.setupProblem()).isEmpty();
        assertThat(store.lost()).isEmpty();
        assertThat(store.schemaVersion()).isPositive();
    }

    @Test
    void a_supervisor_is_registered_beats_its_heart_and_is_marked_stopped() {
        assertThat(store.findSupervisor("supervisor-1"))
                .contains(new SupervisorRecord("supervisor-1", "host-a", 123, T0, T0, T0, BEAT, null));
        assertThat(store.findSupervisor("supervisor-9")).isEmpty();

        store.heartbeat("supervisor-1", T0.plusSeconds(10));
        assertThat(store.findSupervisor("supervisor-1").orElseThrow().heartbeatAt()).isEqualTo(T0.plusSeconds(10));

        store.markSupervisorStopped("supervisor-1", T0.plusSeconds(15));
        SupervisorRecord stopped = store.findSupervisor("supervisor-1").orElseThrow();
        assertThat(stopped.stoppedAt()).isEqualTo(T0.plusSeconds(15));
        assertThat(stopped.heartbeatAt()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void a_supervisor_s_control_endpoint_is_recorded_and_the_unstopped_supervisors_are_listed_newest_first() {
        store.registerSupervisor(SupervisorRecord.starting("supervisor-2", "host-a", 456, T0, T0.plusSeconds(5), BEAT));
        store.registerSupervisor(SupervisorRecord.starting("supervisor-3", "host-b", 789, T0, T0.plusSeconds(9), BEAT));
        assertThat(store.findControl("supervisor-1")).isEmpty();

        store.recordControl("supervisor-1", new ControlAddress("http://127.0.0.1:4711", "secret"));
        store.markSupervisorStopped("supervisor-2", T0.plusSeconds(20));

        assertThat(store.findControl("supervisor-1")).contains(new ControlAddress("http://127.0.0.1:4711", "secret"));
        assertThat(store.findControl("supervisor-2")).isEmpty();
        assertThat(store.findControl("supervisor-9")).isEmpty();
        assertThat(store.unstoppedSupervisors()).extracting(SupervisorRecord::id)
                .containsExactly("supervisor-3", "supervisor-1");
    }

    @Test
    void the_events_of_a_task_only_grow_each_kept_as_it_was_written() {
        create("t1");
        store.appendEvent("t1", "supervisor-1", "progress", Map.of("message", "one", "fraction", 0.5), T0.plusSeconds(1));
        List<EventRecord> before = store.events("t1");

        store.appendEvent("t1", "supervisor-1", "tool_call", Map.of("tool", "run_command", "ok", true), T0.plusSeconds(2));

        List<EventRecord> after = store.events("t1");
        assertThat(after).hasSize(before.size() + 1).startsWith(before.toArray(EventRecord[]::new));
        EventRecord last = after.get(after.size() - 1);
        assertThat(last.type()).isEqualTo("tool_call");
        assertThat(last.data()).containsEntry("tool", "run_command").containsEntry("ok", true);
        assertThat(last.at()).isEqualTo(T0.plusSeconds(2));
        assertThat(after).extracting(EventRecord::id).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void tasks_are_listed_newest_first_by_state_and_creation_time() {
        for (int i = 1; i <= 3; i++) {
            createAt("t" + i, T0.plusSeconds(i));
        }
        store.markRunning("t2", 5L, T0.plusSeconds(10));
        store.finish("t2", TaskOutcome.completed(0, 1, 1, 1, "{}"), T0.plusSeconds(11));

        assertThat(store.recentTasks(2)).extracting(TaskRecord::id).containsExactly("t3", "t2");
        assertThat(store.findTasks(new TaskFilter(TaskState.QUEUED, null, 10))).extracting(TaskRecord::id)
                .containsExactly("t3", "t1");
        assertThat(store.findTasks(new TaskFilter(null, T0.plusSeconds(2), 10))).extracting(TaskRecord::id)
                .containsExactly("t3", "t2");
        assertThat(store.findTasks(new TaskFilter(TaskState.COMPLETED, null, 10))).extracting(TaskRecord::id)
                .containsExactly("t2");
        assertThat(store.findTask("nothing")).isEmpty();
    }

    @Test
    void tasks_are_listed_by_reason_a_page_at_a_time_and_counted_by_state_reason_and_mode() {
        for (int i = 1; i <= 4; i++) {
            createAt("t" + i, T0.plusSeconds(i));
        }
        store.markRunning("t1", 5L, T0.plusSeconds(10));
        store.finish("t1", TaskOutcome.failed(FailureReason.OUT_OF_MEMORY, null, 1500, -1, -1, "past its cap"),
                T0.plusSeconds(11));
        store.markRunning("t2", 6L, T0.plusSeconds(10));
        store.finish("t2", TaskOutcome.failed(FailureReason.TIMED_OUT, "too long"), T0.plusSeconds(11));
        store.markRunning("t3", 7L, T0.plusSeconds(10));

        assertThat(store.findTasks(new TaskFilter(null, FailureReason.OUT_OF_MEMORY, null, 10, 0)))
                .extracting(TaskRecord::id).containsExactly("t1");
        assertThat(store.findTasks(new TaskFilter(null, null, null, 2, 0))).extracting(TaskRecord::id)
                .containsExactly("t4", "t3");
        assertThat(store.findTasks(new TaskFilter(null, null, null, 2, 2))).extracting(TaskRecord::id)
                .containsExactly("t2", "t1");
        assertThat(store.taskCounts()).containsExactlyInAnyOrder(
                new TaskStore.TaskCount(TaskState.FAILED, FailureReason.OUT_OF_MEMORY, Mode.WORKER, 1, 1500),
                new TaskStore.TaskCount(TaskState.FAILED, FailureReason.TIMED_OUT, Mode.WORKER, 1, 0),
                new TaskStore.TaskCount(TaskState.RUNNING, null, Mode.WORKER, 1, 0),
                new TaskStore.TaskCount(TaskState.QUEUED, null, Mode.WORKER, 1, 0));
    }

    @Test
    void changes_made_together_are_all_kept_or_none_are() {
        assertThatThrownBy(() -> store.together(() -> {
            create("t1");
            throw new IllegalStateException("failed half-way");
        })).hasMessageContaining("failed half-way");
        assertThat(store.findTask("t1")).isEmpty();

        store.together(() -> {
            create("t1");
            create("t2");
        });
        assertThat(store.recentTasks(10)).extracting(TaskRecord::id).containsExactlyInAnyOrder("t1", "t2");
    }

    @Test
    void a_rotation_and_a_restarted_worker_count_the_attempts_each_with_an_event() {
        create("t1");
        store.markRunning("t1", 5L, T0);

        store.recordRotation("t1", 2, T0.plusSeconds(1));
        store.workerRestarted("t1", 2, 77L, T0.plusSeconds(2));

        TaskRecord task = store.findTask("t1").orElseThrow();
        assertThat(task.attempts()).isEqualTo(2);
        assertThat(task.rotations()).isEqualTo(1);
        assertThat(task.pid()).isEqualTo(77L);
        assertThat(task.state()).isEqualTo(TaskState.RUNNING);
        assertThat(store.events("t1")).extracting(EventRecord::type).containsExactly("task_queued", "task_running", "rotated", "worker_started");
    }

    @Test
    void a_step_names_its_task_and_the_task_its_step_and_runs_are_listed_newest_first() {
        RunStore runs = store.runs();
        runs.createRun(run("run-1", T0), List.of("a"));
        runs.createRun(run("run-2", T0.plusSeconds(1)), List.of("a"));
        runs.stepStarted("run-2", "a", T0.plusSeconds(2));
        create("t1");

        runs.stepTask("run-2", "a", "t1");

        assertThat(runs.stepOf("t1")).contains(new RunStore.StepOfRun("run-2", "a"));
        assertThat(runs.steps("run-2").get(0).taskId()).isEqualTo("t1");
        assertThat(runs.stepOf("t9")).isEmpty();
        assertThat(runs.recentRuns(5)).extracting(RunRecord::id).containsExactly("run-2", "run-1");
        assertThat(runs.findRun("run-9")).isEmpty();
    }

    @Test
    void runs_and_batches_a_server_left_running_are_found_while_their_supervisor_is_gone() {
        RunStore runs = store.runs();
        runs.createRun(run("run-server", T0), List.of("a"), true);
        runs.createRun(run("run-standalone", T0.plusSeconds(1)), List.of("a"));
        runs.createRun(run("run-server-ended", T0.plusSeconds(2)), List.of("a"), true);
        runs.runEnded("run-server-ended", RunRecord.State.COMPLETED, null, T0.plusSeconds(3));
        BatchStore batches = store.batches();
        batches.createBatch(new BatchRecord("batch-server", "supervisor-1", "POST", 1, BatchRecord.State.RUNNING, T0, null),
                List.of(line(1, "t1")), true);
        batches.createBatch(new BatchRecord("batch-standalone", "supervisor-1", "tasks.jsonl", 1, BatchRecord.State.RUNNING,
                T0, null), List.of(line(1, "t2")));

        assertThat(runs.serverRunsLeft(supervisor -> false)).as("its supervisor gone").containsExactly("run-server");
        assertThat(runs.serverRunsLeft(supervisor -> true)).as("its supervisor alive").isEmpty();
        assertThat(batches.serverBatchesLeft(supervisor -> false)).containsExactly("batch-server");
        assertThat(batches.serverBatchesLeft(supervisor -> true)).isEmpty();
    }

    @Test
    void a_batch_keeps_each_line_s_last_task_and_settles_the_lines_never_started() {
        BatchStore batches = store.batches();
        batches.createBatch(new BatchRecord("batch-1", "supervisor-1", "tasks.jsonl", 2, BatchRecord.State.RUNNING, T0,
                null), List.of(line(1, "t1"), line(2, "t2")));
        store.markRunning("t1", 5L, T0.plusSeconds(1));
        store.finish("t1", TaskOutcome.completed(0, 1, 1, 1, "{}"), T0.plusSeconds(2));

        int settled = batches.settleUnstarted("batch-1", TaskOutcome.failed(FailureReason.INTERRUPTED,
                "the batch stopped"), T0.plusSeconds(3));
        batches.batchEnded("batch-1", BatchRecord.State.INTERRUPTED, T0.plusSeconds(3));

        assertThat(settled).isEqualTo(1);
        assertThat(store.findTask("t2").orElseThrow().reason()).isEqualTo(FailureReason.INTERRUPTED);
        assertThat(batches.findBatch("batch-1").orElseThrow().state()).isEqualTo(BatchRecord.State.INTERRUPTED);

        batches.restartBatch("batch-1", "supervisor-1", List.of(line(2, "t3")));

        assertThat(batches.findBatch("batch-1").orElseThrow().state()).isEqualTo(BatchRecord.State.RUNNING);
        assertThat(batches.lastTasks("batch-1")).extracting(BatchStore.LineTask::line, BatchStore.LineTask::taskId,
                BatchStore.LineTask::state).containsExactly(tuple(1, "t1", TaskState.COMPLETED), tuple(2, "t3", TaskState.QUEUED));
        assertThat(batches.lastTaskRecords("batch-1")).extracting(BatchStore.LineRecord::line,
                record -> record.task().id(), record -> record.task().state()).as("the same, whole records")
                .containsExactly(tuple(1, "t1", TaskState.COMPLETED), tuple(2, "t3", TaskState.QUEUED));
        assertThat(batches.recentBatches(5)).extracting(BatchRecord::id).containsExactly("batch-1");
    }

    @Test
    void a_cancelled_run_asks_its_unended_tasks_and_a_step_s_task_linked_later_to_cancel() {
        RunStore runs = store.runs();
        runs.createRun(run("run-1", T0), List.of("a", "b", "c"));
        create("t-done");
        create("t-running");
        runs.stepStarted("run-1", "a", T0);
        runs.stepTask("run-1", "a", "t-done");
        store.markRunning("t-done", 5L, T0);
        store.finish("t-done", TaskOutcome.completed(0, 1, 1, 1, "{}"), T0);
        runs.stepEnded("run-1", "a", RunStepRecord.State.COMPLETED, "{}", null, T0);
        runs.stepStarted("run-1", "b", T0);
        runs.stepTask("run-1", "b", "t-running");
        store.markRunning("t-running", 6L, T0);

        assertThat(runs.requestCancel("run-1", T0.plusSeconds(1))).map(RunRecord::state).contains(RunRecord.State.RUNNING);

        assertThat(runs.cancelRequested("run-1")).isTrue();
        assertThat(store.cancelRequests("supervisor-1")).containsExactly("t-running");
        create("t-later");
        runs.stepStarted("run-1", "c", T0.plusSeconds(2));
        runs.stepTask("run-1", "c", "t-later");
        assertThat(store.cancelRequests("supervisor-1")).containsExactlyInAnyOrder("t-running", "t-later");
        assertThat(store.findTask("t-done").orElseThrow().state()).isEqualTo(TaskState.COMPLETED);

        runs.stepEnded("run-1", "b", RunStepRecord.State.CANCELLED, null, "cancelled", T0.plusSeconds(3));
        runs.stepEnded("run-1", "c", RunStepRecord.State.CANCELLED, null, "cancelled", T0.plusSeconds(3));
        runs.runEnded("run-1", RunRecord.State.CANCELLED, null, T0.plusSeconds(3));
        assertThat(runs.findRun("run-1").orElseThrow().state()).isEqualTo(RunRecord.State.CANCELLED);
        assertThatThrownBy(() -> runs.restartRun("run-1", "supervisor-1", T0.plusSeconds(4)))
                .as("a cancelled run is final").isInstanceOf(IllegalStateException.class);
        assertThat(runs.requestCancel("run-9", T0)).isEmpty();
        runs.createRun(run("run-2", T0), List.of("a"));
        assertThat(runs.cancelRequested("run-2")).isFalse();
    }

    @Test
    void a_cancelled_batch_asks_its_unended_lines_to_cancel_and_an_ended_batch_is_left_alone() {
        BatchStore batches = store.batches();
        batches.createBatch(new BatchRecord("batch-1", "supervisor-1", "tasks.jsonl", 3, BatchRecord.State.RUNNING, T0,
                null), List.of(line(1, "t1"), line(2, "t2"), line(3, "t3")));
        store.markRunning("t1", 5L, T0);
        store.finish("t1", TaskOutcome.completed(0, 1, 1, 1, "{}"), T0);
        store.markRunning("t2", 6L, T0);

        assertThat(batches.requestCancel("batch-1", T0.plusSeconds(1))).isPresent();

        assertThat(batches.cancelRequested("batch-1")).isTrue();
        assertThat(store.cancelRequests("supervisor-1")).containsExactlyInAnyOrder("t2", "t3");
        assertThat(store.events("t3")).extracting(EventRecord::type).contains("cancel_requested");
        batches.batchEnded("batch-1", BatchRecord.State.CANCELLED, T0.plusSeconds(2));
        assertThat(batches.findBatch("batch-1").orElseThrow().state()).isEqualTo(BatchRecord.State.CANCELLED);

        batches.createBatch(new BatchRecord("batch-2", "supervisor-1", "tasks.jsonl", 1, BatchRecord.State.COMPLETED, T0,
                T0), List.of(line(1, "t4")));
        assertThat(batches.requestCancel("batch-2", T0)).isPresent();
        assertThat(batches.cancelRequested("batch-2")).as("an ended batch is left as it is").isFalse();
        assertThat(batches.requestCancel("batch-9", T0)).isEmpty();
    }

    private void createAt(String id, Instant at) {
        store.createTask(newTask(id, at));
    }

    private NewTask newTask(String id, Instant at) {
        return newTask(id, "supervisor-1", at);
    }

    protected NewTask newTask(String id, String supervisorId, Instant at) {
        TaskRequest request = TaskRequest.builder("Implement it", AgentSpec.builtin("probe")).params(Map.of("a", "1"))
                .complexity(0.8).workDir(home).limits(TaskLimits.of(256, Duration.ofMinutes(10))).priority(3).build();
        RoutingDecision routing = new RoutingDecision(Mode.WORKER,
                new Classification(true, 0.8, "long-running keyword 'implement'"), "long-running task: because", true);
        return new NewTask(id, supervisorId, request, routing, home.resolve(id + ".log"), at);
    }

    private BatchStore.NewLine line(int number, String taskId) {
        return new BatchStore.NewLine(newTask(taskId, T0), number, "{\"prompt\":\"line " + number + "\"}");
    }

    private RunRecord run(String id, Instant at) {
        return new RunRecord(id, "supervisor-1", "review", "built-in", "steps: []", "Review it", "{}", 0.8,
                RunRecord.State.RUNNING, null, home.resolve("runs/" + id).toString(), at, null);
    }
}
