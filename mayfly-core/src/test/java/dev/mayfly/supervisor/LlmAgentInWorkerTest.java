package dev.mayfly.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.api.ContextSegment;
import dev.mayfly.config.AgentProviders;
import dev.mayfly.config.Settings;
import dev.mayfly.llm.testing.ScriptedModelServer.Call;
import dev.mayfly.llm.testing.ScriptedModelServer.Dialect;
import dev.mayfly.llm.testing.ScriptedModelServer.Turn;
import dev.mayfly.llm.testing.ScriptedModelServer;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.process.ProcFs;
import dev.mayfly.store.EventRecord;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.task.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The built-in llm agent in real worker JVMs, against a real local model server. */
class LlmAgentInWorkerTest {

    @TempDir
    Path home;

    private static Call echo(String word) {
        return new Call("run_command", Map.of("command", List.of("sh", "-c", "echo " + word + " >> trail.txt")));
    }

    @Test
    void a_worker_killed_mid_task_resumes_from_its_checkpoint_without_repeating_completed_tool_calls() throws Exception {
        Path workspace = Files.createDirectories(home.resolve("workspace"));
        List<Turn> script = List.of(
                Turn.calls(echo("one"), echo("two")),
                Turn.calls(echo("three")),
                Turn.calls(echo("four")),
                Turn.answer("Left a trail of four words."));
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, script);
                OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home))) {
            ScriptedModelServer.Hold third = server.hold(2);
            TaskRequest request = TaskRequest.builder("Implement a trail", AgentProviders.builtIn().spec("llm"))
                    .params(Map.of("llm.base_url", server.baseUrl(), "llm.model", "scripted")).complexity(0.8)
                    .workDir(workspace).limits(TaskLimits.of(256, Duration.ofMinutes(2))).build();
            CompletableFuture<TaskResult> running = fixture.orchestrator().submit(request);

            // The worker has run two rounds of tools and waits for the model's third turn: kill it.
            assertThat(third.awaitArrival(60)).as("the third model call arrives").isTrue();
            TaskRecord task = fixture.orchestrator().store().recentTasks(1).get(0);
            ProcessHandle worker = ProcessHandle.of(task.pid()).orElseThrow();
            worker.destroyForcibly();
            worker.onExit().get(30, TimeUnit.SECONDS);
            third.release();
            TaskResult result = running.get(90, TimeUnit.SECONDS);

            assertThat(result.outcome().state()).as("%s", result.outcome()).isEqualTo(TaskState.COMPLETED);
            assertThat(result.outcome().resultJson()).contains("Left a trail of four words.");
            TaskRecord ended = fixture.orchestrator().store().findTask(result.taskId()).orElseThrow();
            assertThat(ended.attempts()).isEqualTo(2);
            assertThat(Files.readAllLines(workspace.resolve("trail.txt"))).containsExactly("one", "two", "three", "four");

            List<EventRecord> events = fixture.orchestrator().store().events(result.taskId());
            assertThat(events).filteredOn(event -> event.type().equals("tool_call"))
                    .extracting(event -> event.data().get("id"))
                    .containsExactly("call_0_0", "call_0_1", "call_1_0", "call_2_0");
            assertThat(events).filteredOn(event -> event.type().equals("model_call")).hasSize(4)
                    .allSatisfy(event -> assertThat(((Number) event.data().get("inputTokens")).intValue()).isPositive());
            assertThat(server.seen()).extracting(ScriptedModelServer.Seen::turn).containsExactly(0, 1, 2, 2, 3);

            // Every turn is in the store: the head, four model turns, four tool results.
            List<ContextSegment> segments = fixture.orchestrator().store().contextSegments(result.taskId());
            assertThat(segments).extracting(ContextSegment::seq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(segments).extracting(ContextSegment::role).containsExactly("system", "user", "assistant", "tool",
                    "tool", "assistant", "tool", "assistant", "tool", "assistant");
        }
    }

    @Test
    void the_llm_agent_rotates_to_fresh_workers_at_its_checkpoints_and_finishes_with_each_tool_call_run_once()
            throws Exception {
        Path workspace = Files.createDirectories(home.resolve("workspace"));
        // Searching 16 MB of text makes garbage enough for collections in a 64 MB heap; with the
        // rotation threshold at 1 %, the first collection after a turn asks for a rotation.
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            line.append("a line of text that does not hold what is searched for ").append(i).append('\n');
        }
        String block = line.toString();
        try (var out = Files.newBufferedWriter(workspace.resolve("big.txt"))) {
            while (Files.size(workspace.resolve("big.txt")) < 16L * 1024 * 1024) {
                out.write(block);
                out.flush();
            }
        }
        Call search = new Call("search_text", Map.of("pattern", "needle", "path", "big.txt"));
        List<Turn> script = List.of(Turn.calls(search, echo("one")), Turn.calls(search, echo("two")),
                Turn.answer("Searched twice."));
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, script);
                OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home,
                        "MAYFLY_ROTATE_PERCENT", "1"))) {
            TaskRequest request = TaskRequest.builder("Implement a search", AgentProviders.builtIn().spec("llm"))
                    .params(Map.of("llm.base_url", server.baseUrl(), "llm.model", "scripted")).complexity(0.8)
                    .workDir(workspace).limits(TaskLimits.of(64, Duration.ofMinutes(3))).build();
            TaskResult result = fixture.orchestrator().run(request);

            assertThat(result.outcome().state()).as("%s", result.outcome()).isEqualTo(TaskState.COMPLETED);
            assertThat(result.outcome().resultJson()).contains("Searched twice.");
            TaskRecord task = fixture.orchestrator().store().findTask(result.taskId()).orElseThrow();
            assertThat(task.rotations()).isGreaterThanOrEqualTo(1);
            assertThat(task.attempts()).isEqualTo(task.rotations() + 1);
            assertThat(Files.readAllLines(workspace.resolve("trail.txt"))).containsExactly("one", "two");
            assertThat(fixture.orchestrator().store().events(result.taskId()))
                    .filteredOn(event -> event.type().equals("tool_call"))
                    .extracting(event -> event.data().get("id"))
                    .containsExactly("call_0_0", "call_0_1", "call_1_0", "call_1_1");
        }
    }

    @ParameterizedTest(name = "workers {0}")
    @ValueSource(booleans = {true, false})
    void the_model_s_answer_reaches_the_task_s_log_while_it_streams_and_a_failed_task_has_no_exit_code(boolean workers)
            throws Exception {
        Path workspace = Files.createDirectories(home.resolve("workspace"));
        Settings settings = TestSettings.workersOn(home, "USE_WORKERS", Boolean.toString(workers));
        List<Turn> script = List.of(Turn.answer("First words of the answer, then the rest of it."));
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, script);
                OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            ScriptedModelServer.Hold midStream = server.holdStream(0);
            TaskRequest request = TestSettings.longTask(AgentProviders.builtIn().spec("llm"), workspace,
                    Map.of("llm.base_url", server.baseUrl(), "llm.model", "scripted"), Duration.ofMinutes(2));
            // In-process, submit returns when the task has ended: it is called on a thread of its own.
            CompletableFuture<TaskResult> running = CompletableFuture.supplyAsync(
                    () -> fixture.orchestrator().submit(request).join(), command -> new Thread(command).start());

            // The server has sent the first piece and waits: the piece is in the task's log already.
            assertThat(midStream.awaitArrival(60)).isTrue();
            String taskId = fixture.orchestrator().store().recentTasks(1).get(0).id();
            Path log = home.resolve("runs").resolve(taskId).resolve("task.log");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(log).exists()
                    .content().contains("[llm] step 1: model says: First words"));
            assertThat(Files.readString(log)).doesNotContain("the rest of it");
            midStream.release();
            TaskResult result = running.get(60, TimeUnit.SECONDS);
            assertThat(result.outcome().state()).as("%s", result.outcome()).isEqualTo(TaskState.COMPLETED);
            assertThat(Files.readString(log)).contains("First words of the answer, then the rest of it.");
        }
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, script)
                .failNext(1, 500, "tools param requires --jinja flag");
                OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            TaskResult failed = fixture.orchestrator().run(TestSettings.longTask(AgentProviders.builtIn().spec("llm"),
                    workspace, Map.of("llm.base_url", server.baseUrl(), "llm.model", "scripted"), Duration.ofMinutes(2)));

            assertThat(failed.outcome().state()).isEqualTo(TaskState.FAILED);
            assertThat(failed.outcome().error()).contains("answered HTTP 500: tools param requires --jinja flag, not retried");
            // A Java agent has no exit code of its own, in a worker (whose exit code is Mayfly's) as in-process.
            assertThat(failed.outcome().exitCode()).isNull();
            assertThat(fixture.orchestrator().store().findTask(failed.taskId()).orElseThrow().exitCode()).isNull();
        }
    }

    @Test
    void a_program_the_model_ran_that_detached_itself_ends_with_the_task() throws Exception {
        Path workspace = Files.createDirectories(home.resolve("workspace"));
        // A Python tool that leaves a sleeper behind in a session of its own, then exits: the sleeper
        // is re-parented to init and is no longer in anybody's tree, but it carries the task's mark.
        String detach = "import subprocess; p = subprocess.Popen(['sleep', '300'], start_new_session=True); "
                + "open('sleeper.pid', 'w').write(str(p.pid))";
        List<Turn> script = List.of(Turn.calls(new Call("run_command", Map.of("command", List.of("python3", "-c", detach)))),
                Turn.answer("Left a sleeper."));
        long sleeper = -1;
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, script);
                OrchestratorFixture fixture = new OrchestratorFixture(TestSettings.workersOn(home))) {
            TaskResult result = fixture.orchestrator().run(TestSettings.longTask(AgentProviders.builtIn().spec("llm"),
                    workspace, Map.of("llm.base_url", server.baseUrl(), "llm.model", "scripted"), Duration.ofMinutes(2)));

            assertThat(result.outcome().state()).as("%s", result.outcome()).isEqualTo(TaskState.COMPLETED);
            sleeper = Long.parseLong(Files.readString(workspace.resolve("sleeper.pid")).trim());
            long pid = sleeper;
            await().atMost(Duration.ofSeconds(30)).until(() -> !ProcFs.system().alive(pid));
        } finally {
            ProcessHandle.of(sleeper).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
