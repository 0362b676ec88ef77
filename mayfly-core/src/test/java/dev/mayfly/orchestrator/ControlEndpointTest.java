package dev.mayfly.orchestrator;

import static dev.mayfly.support.TestSettings.longTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.config.Settings;
import dev.mayfly.store.ControlAddress;
import dev.mayfly.store.SupervisorRecord;
import dev.mayfly.store.TaskStore;
import dev.mayfly.support.OrchestratorFixture;
import dev.mayfly.support.TestSettings;
import dev.mayfly.task.TaskState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every supervisor's loopback control endpoint, over real HTTP: recorded in the store, closed to a
 * caller without its token, serving the live pool, and carrying out a stored cancel of a Python
 * tree at once.
 */
@SuppressWarnings("unchecked")
class ControlEndpointTest {

    /** Starts a second Python process, writes its pid, and waits for a long time. */
    private static final String PYTHON_TREE = "import subprocess, time\n"
            + "child = subprocess.Popen(['python3', '-c', 'import time; time.sleep(600)'])\n"
            + "open('child.pid', 'w').write(str(child.pid))\n"
            + "time.sleep(600)\n";

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void the_endpoint_is_recorded_on_loopback_and_refuses_a_caller_without_its_token() throws Exception {
        Settings settings = TestSettings.workersOn(home, "MAYFLY_MAX_WORKERS", "3");
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            Orchestrator orchestrator = fixture.orchestrator();
            ControlAddress control = recorded(orchestrator);
            assertThat(control.url()).startsWith("http://127.0.0.1:");
            assertThat(control.token()).hasSizeGreaterThanOrEqualTo(32);

            assertThat(get(control.url() + ControlEndpoint.SUPERVISOR, null).statusCode()).isEqualTo(401);
            assertThat(get(control.url() + ControlEndpoint.SUPERVISOR, "not-" + control.token()).statusCode()).isEqualTo(401);
            HttpResponse<String> unknown = get(control.url() + "/control/v1/other", control.token());
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains(ControlEndpoint.SUPERVISOR, ControlEndpoint.CANCELS);
            assertThat(get(control.url() + ControlEndpoint.CANCELS, control.token()).statusCode()).isEqualTo(405);

            Map<String, Object> figures = ControlClient.figures(control);
            assertThat(figures).containsEntry("supervisorId", orchestrator.supervisorId())
                    .containsEntry("pid", ProcessHandle.current().pid());
            assertThat((Map<String, Object>) figures.get("pool")).containsEntry("size", 3L).containsEntry("active", 0L);
            assertThat(((Number) figures.get("residentMb")).doubleValue()).isPositive();
        }
    }

    @Test
    void a_stored_cancel_told_through_the_endpoint_ends_a_python_tree_and_the_endpoint_closes_with_its_supervisor()
            throws Exception {
        Settings settings = TestSettings.workersOn(home);
        Path workDir = Files.createDirectories(home.resolve("work"));
        ControlAddress control;
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            Orchestrator orchestrator = fixture.orchestrator();
            TaskStore store = orchestrator.store();
            control = recorded(orchestrator);
            List<String> ids = new CopyOnWriteArrayList<>();
            CompletableFuture<TaskResult> pending = orchestrator.submit(longTask(settings,
                    AgentSpec.command(List.of("python3", "-c", PYTHON_TREE)), workDir, Duration.ofMinutes(5)), null, null,
                    ids::add);
            Path childPid = workDir.resolve("child.pid");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(childPid) && !Files.readString(childPid).isEmpty());
            long child = Long.parseLong(Files.readString(childPid).strip());
            // The pool as only the supervisor knows it: one worker alive.
            assertThat((Map<String, Object>) ControlClient.figures(control).get("pool")).containsEntry("active", 1L);

            String taskId = ids.get(0);
            assertThat(store.requestCancel(taskId, Instant.now())).isPresent();
            String told = ControlClient.tellCancel(store, orchestrator.supervisorId());

            assertThat(told).isEqualTo("it was told through its control endpoint");
            TaskResult result = pending.get();
            assertThat(result.outcome().state()).isEqualTo(TaskState.CANCELLED);
            await().atMost(Duration.ofSeconds(10)).until(() -> !TestSettings.alive(child));
        }

        assertThatThrownBy(() -> ControlClient.figures(control)).isInstanceOf(IOException.class);
    }

    @Test
    void a_supervisor_on_another_machine_is_not_called_it_reads_the_request_from_the_store() throws Exception {
        Settings settings = TestSettings.workersOn(home);
        try (OrchestratorFixture fixture = new OrchestratorFixture(settings)) {
            TaskStore store = fixture.orchestrator().store();
            ControlAddress mine = recorded(fixture.orchestrator());
            store.registerSupervisor(SupervisorRecord.starting("supervisor-far", "another-machine", 77, null,
                    Instant.now(), Duration.ofSeconds(10)));
            // Even with an address recorded: a loopback address names this machine, not that one.
            store.recordControl("supervisor-far", mine);

            assertThat(ControlClient.tellCancel(store, "supervisor-far"))
                    .isEqualTo("it sees the request in the store within 250 ms");
            assertThat(ControlClient.tellCancel(store, "supervisor-unknown"))
                    .isEqualTo("it sees the request in the store within 250 ms");
        }
    }

    /** The endpoint as the store has it, once the supervisor's chores thread has opened it. */
    private static ControlAddress recorded(Orchestrator orchestrator) {
        return await().atMost(Duration.ofSeconds(10))
                .until(() -> orchestrator.store().findControl(orchestrator.supervisorId()), Optional::isPresent).get();
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
