package dev.mayfly.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.routing.Classification;
import dev.mayfly.routing.Mode;
import dev.mayfly.routing.RoutingDecision;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two Mayfly processes on one store file: each is a connection of its own, as here. */
class SharedStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    @TempDir
    Path home;

    @Test
    void a_transaction_that_reads_then_writes_survives_another_process_writing_in_between() throws Exception {
        Path file = home.resolve("workers.db");
        try (JdbcTaskStore first = SqliteStore.open(file); JdbcTaskStore second = SqliteStore.open(file)) {
            first.registerSupervisor(SupervisorRecord.starting("s-1", "host", 1, T0, T0, Duration.ofSeconds(10)));
            first.createTask(new NewTask("t1", "s-1", TaskRequest.builder("Implement it", AgentSpec.builtin("probe"))
                    .complexity(0.8).workDir(home).limits(TaskLimits.of(64, Duration.ofMinutes(1))).build(),
                    new RoutingDecision(Mode.WORKER, new Classification(true, 0.8, "long"), "long", true),
                    home.resolve("t1.log"), T0));
            CountDownLatch read = new CountDownLatch(1);
            CountDownLatch written = new CountDownLatch(1);

            CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> first.together(() -> {
                first.findTask("t1").orElseThrow();
                read.countDown();
                try {
                    // The other process writes now, if it can (before the fix it could, and this write then failed).
                    written.await(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                first.appendEvent("t1", "s-1", "progress", Map.of("by", "first"), T0);
            }));
            read.await();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                second.appendEvent("t1", "s-1", "progress", Map.of("by", "second"), T0);
                written.countDown();
            });

            reader.get(30, TimeUnit.SECONDS);
            writer.get(30, TimeUnit.SECONDS);
            assertThat(first.events("t1")).extracting(EventRecord::dataJson)
                    .contains("{\"by\":\"first\"}", "{\"by\":\"second\"}");
        }
    }

    @Test
    void two_processes_opening_a_new_store_at_once_migrate_it_once() throws Exception {
        Path file = home.resolve("new.db");
        CompletableFuture<JdbcTaskStore> one = CompletableFuture.supplyAsync(() -> SqliteStore.open(file));
        CompletableFuture<JdbcTaskStore> two = CompletableFuture.supplyAsync(() -> SqliteStore.open(file));
        try (JdbcTaskStore a = one.get(30, TimeUnit.SECONDS); JdbcTaskStore b = two.get(30, TimeUnit.SECONDS)) {
            assertThat(a.schemaVersion()).isEqualTo(Migrations.FILES.size());
            assertThat(b.schemaVersion()).isEqualTo(Migrations.FILES.size());
        }
    }
}
