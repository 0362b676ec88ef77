package dev.mayfly.orchestrator;

import static dev.mayfly.support.TestSettings.javaAgent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mayfly.batch.BatchEntry;
import dev.mayfly.batch.LineRequest;
import dev.mayfly.store.AttemptRecord;
import dev.mayfly.store.NewTask;
import dev.mayfly.store.SupervisorRecord;
import dev.mayfly.store.TaskStore;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.testagents.ResumingAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server's task that a node on another machine was running when it went away, claimed here: it
 * goes on with its next attempt, in a real worker JVM, from the checkpoint the lost node's agent
 * saved in the shared store.
 */
class TakeOverTest {

    @TempDir
    Path home;

    @Test
    void a_task_a_lost_node_ran_goes_on_here_with_its_next_attempt_from_the_checkpoint_it_saved() throws Exception {
        try (OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home))) {
            Orchestrator orchestrator = fixture.orchestrator();
            TaskStore store = orchestrator.store();
            Instant longAgo = Instant.now().minusSeconds(60);
            store.registerSupervisor(SupervisorRecord.starting("node-lost", "another-host", 1, longAgo, longAgo,
                    Duration.ofSeconds(1)));
            TaskRequest request = TaskRequest.builder("Implement it", javaAgent(ResumingAgent.class))
                    .params(Map.of("steps", "5")).complexity(0.8).workDir(home)
                    .limits(new TaskLimits(128, 512, Duration.ofMinutes(1), 1, false, false)).build();
            NewTask lost = new NewTask("task-lost-1", "node-lost", request, orchestrator.route(request),
                    home.resolve("runs/task-lost-1/task.log"), longAgo);
            store.createServerTask(lost, LineRequest.toJson(new BatchEntry(0, request, true).stored(lost)));
            // The lost node claimed it, ran it, and its agent got to step 3 before the node went.
            store.claimNext("node-lost", true, longAgo);
            store.markRunning(lost.id(), 4242L, longAgo);
            store.attempts().recordAttempt(AttemptRecord.started(lost.id(), 1, AttemptRecord.Kind.FIRST, 128, 512,
                    "watched", 4242L, longAgo));
            store.saveCheckpoint(lost.id(), 1, "3", longAgo);

            orchestrator.settleLost();
            TaskStore.Claim claim = store.claimNext(orchestrator.supervisorId(), true, Instant.now()).orElseThrow();
            BatchEntry entry = LineRequest.fromJson(0, claim.requestJson());
            NewTask here = orchestrator.prepareClaimed(claim.task(), entry.request(), entry.workers(), claim.retriesDone(),
                    null);
            TaskResult result = orchestrator.startStored(here).get(60, TimeUnit.SECONDS);

            assertThat(here.continuation()).isEqualTo(new NewTask.Continuation(2, 1, true));
            assertThat(result.outcome().succeeded()).as(result.outcome().error()).isTrue();
            assertThat(result.outcome().resultJson()).as("it began where the lost node's agent stopped")
                    .contains("\"firstStep\":3");
            assertThat(store.attempts().attempts(lost.id())).extracting(AttemptRecord::attempt, AttemptRecord::kind,
                    AttemptRecord::outcome).containsExactly(tuple(1, AttemptRecord.Kind.FIRST, "interrupted"),
                    tuple(2, AttemptRecord.Kind.RETRY, "completed"));
            assertThat(store.latestCheckpoint(lost.id())).contains("5");
        }
    }
}
