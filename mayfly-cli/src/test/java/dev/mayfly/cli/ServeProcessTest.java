package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mayfly.client.ServerFile;
import dev.mayfly.process.ProcFs;
import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.SqliteStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mayfly serve} as a real process, its API spoken to over real HTTP: a Python tree submitted,
 * followed and cancelled; bad bodies refused with nothing stored; the token required; metrics parsed;
 * a second server on the same home refused; SIGTERM stops it and removes its file; a server killed
 * with tasks queued and running, started again, runs the queued ones and settles the running one.
 */
class ServeProcessTest {

    /** A Python program that starts a second one and waits; both write their pids. */
    private static final String PYTHON_TREE = "import os, subprocess, time\n"
            + "child = subprocess.Popen(['python3', '-c', 'import time; time.sleep(600)'])\n"
            + "open('pids.txt', 'w').write(f'{os.getpid()} {child.pid}')\n"
            + "time.sleep(600)\n";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ENVIRONMENT = Map.of("MAYFLY_GRACE_PERIOD", "1s", "MAYFLY_HEAP_MB", "64");

    @TempDir
    Path workDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private MayflyProcess server;
    private ServerFile file;
    private final List<Long> pids = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        startServer(ENVIRONMENT);
    }

    /** Starts a server and waits for its file (a new one: a killed server's may still be there). */
    private void startServer(Map<String, String> environment) throws Exception {
        server = MayflyProcess.start(workDir, environment, "serve", "--port", "0");
        long pid = server.process().pid();
        file = await().atMost(Duration.ofSeconds(60)).until(() -> ServerFile.read(home()).orElse(null),
                found -> found != null && found.pid() == pid);
    }

    @AfterEach
    void stopServer() throws Exception {
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        server.close();
    }

    private Path home() {
        return workDir.resolve(".mayfly");
    }

    private HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(file.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return call(method, path, body, file.token());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> json(HttpResponse<String> response) throws Exception {
        return JSON.readValue(response.body(), Map.class);
    }

    private Map<String, Object> task(String id) throws Exception {
        return json(call("GET", "/api/v1/tasks/" + id, null));
    }

    private int storedTasks() {
        try (JdbcTaskStore store = SqliteStore.open(home().resolve("workers.db"))) {
            return store.recentTasks(1000).size();
        }
    }

    @Test
    void a_python_tree_is_submitted_followed_and_cancelled_over_http_and_ends_with_no_process_left() throws Exception {
        Files.writeString(workDir.resolve("tree.py"), PYTHON_TREE);
        String body = JSON.writeValueAsString(Map.of("prompt", "Implement a long wait", "agent", "command:python3 tree.py",
                "workers", true, "workDir", workDir.toString()));

        HttpResponse<String> created = call("POST", "/api/v1/tasks", body);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = (String) json(created).get("taskId");
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/tasks/" + id);
        assertThat(json(created).get("mode")).isEqualTo("worker");
        await().atMost(Duration.ofSeconds(60)).until(() -> task(id).get("state").equals("running")
                && Files.exists(workDir.resolve("pids.txt")) && !Files.readString(workDir.resolve("pids.txt")).isBlank());
        for (String pid : Files.readString(workDir.resolve("pids.txt")).trim().split(" ")) {
            pids.add(Long.parseLong(pid));
        }

        HttpResponse<String> cancel = call("POST", "/api/v1/tasks/" + id + "/cancel", null);

        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> task(id).get("state").equals("cancelled"));
        for (long pid : pids) {
            assertThat(ProcFs.system().alive(pid)).as("process %d of the task", pid).isFalse();
        }
        Map<String, Object> detail = task(id);
        assertThat(detail.get("error").toString()).contains("cancelled by the user");
        assertThat((List<Map<String, Object>>) detail.get("events")).extracting(event -> event.get("type"))
                .contains("cancel_requested", "task_cancelled");
        assertThat((List<?>) detail.get("attemptHistory")).hasSize(1);
        HttpResponse<String> again = call("POST", "/api/v1/tasks/" + id + "/cancel", null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).get("error").toString()).contains("had already ended: cancelled");

        Map<String, Object> listed = json(call("GET", "/api/v1/tasks?state=cancelled", null));
        assertThat((List<Map<String, Object>>) listed.get("tasks")).extracting(task -> task.get("taskId"))
                .containsExactly(id);
        // The histograms hear of the end just after the store does.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(call("GET", "/metrics", null).body())
                .containsPattern("(?m)^mayfly_tasks\\{mode=\"worker\",reason=\"\",state=\"cancelled\"} 1\\.0$")
                .containsPattern("(?m)^mayfly_pool_size [0-9.]+$")
                .containsPattern("(?m)^mayfly_supervisor_resident_bytes [0-9.E]+$")
                .containsPattern("(?m)^mayfly_task_duration_seconds_count\\{mode=\"worker\",reason=\"\",state=\"cancelled\"} 1$")
                .containsPattern("(?m)^mayfly_task_memory_peak_bytes_count\\{mode=\"worker\"} 1$")
                .containsPattern("(?m)^mayfly_task_memory_peak_bytes_bucket\\{mode=\"worker\",le=\"2\\.68435456E8\"} 1$"));
    }

    @Test
    void an_in_process_task_completes_and_a_list_is_paged_and_filtered() throws Exception {
        // Whole numbers as a JSON writer writes them: the server once refused heapMb 96 as not a whole number.
        String body = JSON.writeValueAsString(Map.of("prompt", "Fix typo", "agent", "command:true", "workers", false,
                "workDir", workDir.toString(), "heapMb", 96, "retries", 1, "priority", 7, "timeout", 20_000));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> created = call("POST", "/api/v1/tasks", body);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            ids.add((String) json(created).get("taskId"));
        }

        for (String id : ids) {
            await().atMost(Duration.ofSeconds(60)).until(() -> task(id).get("state").equals("completed"));
        }
        assertThat(task(ids.get(0))).containsEntry("mode", "in-process").containsEntry("priority", 7)
                .containsEntry("timeoutMs", 20_000);
        Map<String, Object> first = json(call("GET", "/api/v1/tasks?limit=2", null));
        Map<String, Object> second = json(call("GET", "/api/v1/tasks?limit=2&offset=2", null));
        assertThat(first.get("nextOffset")).isEqualTo(2);
        assertThat(second.get("nextOffset")).isNull();
        List<Object> paged = new ArrayList<>();
        ((List<Map<String, Object>>) first.get("tasks")).forEach(task -> paged.add(task.get("taskId")));
        ((List<Map<String, Object>>) second.get("tasks")).forEach(task -> paged.add(task.get("taskId")));
        assertThat(paged).containsExactlyInAnyOrderElementsOf(ids);
        assertThat((List<?>) json(call("GET", "/api/v1/tasks?reason=timed_out", null)).get("tasks")).isEmpty();
        assertThat(call("GET", "/api/v1/tasks/task-nope", null).statusCode()).isEqualTo(404);
        Map<String, Object> telemetry = json(call("GET", "/api/v1/telemetry", null));
        Map<String, Object> inProcess = (Map<String, Object>) ((Map<String, Object>) telemetry.get("modes")).get("in-process");
        assertThat(inProcess).containsEntry("tasks", 3).containsEntry("ended", 3).containsKey("averageMs");
        assertThat(inProcess.get("averageMs")).isNotNull();
        assertThat((Map<String, Object>) telemetry.get("endings")).containsEntry("ended", 3).containsEntry("crashRate", 0.0);
        assertThat((Map<String, Object>) telemetry.get("tasks")).containsEntry("completed", 3).containsEntry("running", 0);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(call("GET", "/metrics", null).body())
                .containsPattern("(?m)^mayfly_task_duration_seconds_bucket"
                        + "\\{mode=\"in-process\",reason=\"\",state=\"completed\",le=\"1\\.0\"} 3$"));
    }

    @Test
    void bad_requests_are_refused_naming_what_is_wrong_and_store_nothing() throws Exception {
        Map<String, String> bodies = Map.of(
                "{not json", "the body is not JSON",
                "[1, 2]", "the body must be a JSON object",
                "{\"promptt\": \"Fix it\"}", "unknown field 'promptt'",
                "{\"agent\": \"command:true\"}", "'prompt' (or 'promptFile') is missing",
                "{\"prompt\": \"Fix it\", \"agent\": \"command:true\", \"heapMb\": -5}", "heapMb",
                "{\"prompt\": \"Fix it\"}", "no agent named: give 'agent' (",
                "{\"prompt\": \"Fix it\", \"workDir\": \"relative/folder\"}", "invalid workDir 'relative/folder'");

        assertRefused("/api/v1/tasks", bodies);
        assertRefused("/api/v1/batches", Map.of(
                "{\"lines\": []}", "invalid lines '[]': expected a list of 1 to 10000 objects",
                "{\"lines\": [{\"prompt\": \"Fix it\", \"agent\": \"command:true\"}, {\"prompt\": \"x\", \"agent\": \"command:true\", \"heapMb\": 1}, 7]}",
                "line 2: invalid heapMb '1'",
                "{\"lines\": [{\"prompt\": \"Fix it\", \"agent\": \"command:true\"}], \"file\": \"x\"}",
                "unknown field 'file'"));
        HttpResponse<String> both = call("POST", "/api/v1/batches", "{\"lines\": [{\"prompt\": \"x\", \"agent\": \"command:true\", \"heapMb\": 1}, 7]}");
        assertThat(json(both).get("error").toString()).contains("line 1: invalid heapMb", "line 2: not a JSON object",
                "nothing was stored");
        HttpResponse<String> badFilter = call("GET", "/api/v1/tasks?state=bogus", null);
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(json(badFilter).get("error")).isEqualTo("invalid state 'bogus': expected queued, running, completed, "
                + "failed or cancelled");
        assertThat(storedTasks()).as("nothing stored").isZero();
        try (JdbcTaskStore store = SqliteStore.open(home().resolve("workers.db"))) {
            assertThat(store.batches().recentBatches(10)).as("no batch stored").isEmpty();
        }
    }

    @Test
    void every_path_but_healthz_needs_the_token_and_the_token_file_is_the_owner_s_alone() throws Exception {
        assertThat(call("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
        assertThat(json(call("GET", "/healthz", null, null)).get("status")).isEqualTo("ok");
        for (String path : List.of("/api/v1/tasks", "/metrics", "/api/v1/tasks/t-1")) {
            assertThat(call("GET", path, null, null).statusCode()).as(path).isEqualTo(401);
            assertThat(call("GET", path, null, "wrong").statusCode()).as(path).isEqualTo(401);
        }
        assertThat(call("POST", "/api/v1/tasks", "{\"prompt\": \"Fix it\"}", null).statusCode()).isEqualTo(401);
        assertThat(storedTasks()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ServerFile.path(home()))))
                .isEqualTo("rw-------");
    }

    @Test
    void a_second_server_on_the_same_home_is_refused_and_sigterm_stops_the_first_and_removes_its_file()
            throws Exception {
        MayflyProcess.Result second = MayflyProcess.run(workDir, ENVIRONMENT, "serve", "--port", "0");

        assertThat(second.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(second.stderr().strip()).isEqualTo("mayfly: a server already serves " + home() + ": pid "
                + file.pid() + " at " + file.url() + "; stop it first, or give this one another MAYFLY_HOME");
        MayflyProcess.Result badPort = MayflyProcess.run(workDir, ENVIRONMENT, "serve", "--port", "70000");
        assertThat(badPort.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badPort.stderr().strip()).isEqualTo("mayfly: invalid --port '70000': expected a port number from 0 to "
                + "65535 (0: any free one)");

        new ProcessBuilder("kill", "-TERM", Long.toString(server.process().pid())).start().waitFor();

        MayflyProcess.Result stopped = server.awaitExit();
        assertThat(stopped.exitCode()).isEqualTo(143);
        assertThat(stopped.stdout()).contains("Mayfly serves " + home() + " at " + file.url());
        assertThat(ServerFile.path(home())).doesNotExist();
    }

    @Test
    void a_server_killed_with_tasks_queued_and_running_runs_the_queued_ones_when_started_again() throws Exception {
        server.process().destroyForcibly().waitFor();
        server.close();
        Map<String, String> oneWorker = new java.util.HashMap<>(ENVIRONMENT);
        oneWorker.put("MAYFLY_MAX_WORKERS", "1");
        startServer(oneWorker);
        Files.writeString(workDir.resolve("tree.py"), PYTHON_TREE);
        String running = submit("Implement a long wait", "command:python3 tree.py");
        await().atMost(Duration.ofSeconds(60)).until(() -> task(running).get("state").equals("running")
                && Files.exists(workDir.resolve("pids.txt")) && !Files.readString(workDir.resolve("pids.txt")).isBlank());
        for (String pid : Files.readString(workDir.resolve("pids.txt")).trim().split(" ")) {
            pids.add(Long.parseLong(pid));
        }
        List<String> queued = List.of(submit("Implement the first", "command:sh -c 'echo > first.txt'"),
                submit("Implement the second", "command:sh -c 'echo > second.txt'"));
        for (String id : queued) {
            assertThat(task(id).get("state")).as("waiting for the one worker").isEqualTo("queued");
        }

        server.process().destroyForcibly().waitFor();
        server.close();
        startServer(oneWorker);

        for (String id : queued) {
            await().atMost(Duration.ofSeconds(60)).until(() -> task(id).get("state").equals("completed"));
            assertThat((List<Map<String, Object>>) task(id).get("events")).extracting(event -> event.get("type"))
                    .contains("task_queued", "task_claimed");
        }
        assertThat(workDir.resolve("first.txt")).exists();
        assertThat(workDir.resolve("second.txt")).exists();
        Map<String, Object> settled = task(running);
        assertThat(settled.get("state")).isEqualTo("failed");
        assertThat(settled.get("reason")).isEqualTo("interrupted");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (long pid : pids) {
                assertThat(ProcFs.system().alive(pid)).as("process %d of the task the killed server ran", pid).isFalse();
            }
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_server_killed_mid_batch_and_mid_run_takes_both_up_when_started_again() throws Exception {
        Files.writeString(workDir.resolve("gated.py"), "import os, sys, time\n"
                + "open(sys.argv[1], 'w').write(str(os.getpid()))\n"
                + "while not os.path.exists('go'):\n    time.sleep(0.05)\n");
        HttpResponse<String> batch = call("POST", "/api/v1/batches", JSON.writeValueAsString(Map.of("workDir",
                workDir.toString(), "lines", List.of(
                        Map.of("prompt", "Implement one", "agent", "command:python3 gated.py line-1.pid", "workers", true),
                        Map.of("prompt", "Implement two", "agent", "command:python3 gated.py line-2.pid", "workers", true)))));
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(201);
        String batchId = (String) json(batch).get("batchId");
        String runId = startRun(String.join("\n", "name: gated", "complexity: high", "steps:",
                "  - id: first", "    agent: command:python3 gated.py step.pid", "    prompt: first",
                "  - id: second", "    needs: [first]", "    agent: \"command:sh -c 'echo > second.txt'\"", "    prompt: second", ""));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(workDir.resolve("line-1.pid"))
                && Files.exists(workDir.resolve("line-2.pid")) && Files.exists(workDir.resolve("step.pid")));

        server.process().destroyForcibly().waitFor();
        server.close();
        startServer(ENVIRONMENT);
        Files.writeString(workDir.resolve("go"), "");

        await().atMost(Duration.ofSeconds(90)).until(() -> json(call("GET", "/api/v1/batches/" + batchId, null))
                .get("state").equals("completed") && run(runId).get("status").equals("completed"));
        assertThat(workDir.resolve("second.txt")).exists();
        Map<String, Object> takenUp = json(call("GET", "/api/v1/batches/" + batchId, null));
        assertThat((List<Map<String, Object>>) takenUp.get("tasks")).extracting(task -> task.get("state"))
                .containsExactly("completed", "completed");
        try (JdbcTaskStore store = SqliteStore.open(home().resolve("workers.db"))) {
            for (String supervisor : List.of(store.batches().findBatch(batchId).orElseThrow().supervisorId(),
                    store.runs().findRun(runId).orElseThrow().supervisorId())) {
                assertThat(store.findSupervisor(supervisor).orElseThrow().pid()).as("the new server")
                        .isEqualTo(server.process().pid());
            }
        }
    }

    @Test
    void a_task_s_events_and_log_arrive_live_while_it_runs_and_the_streams_end_with_it() throws Exception {
        Files.writeString(workDir.resolve("steps.py"), "import os, time\n"
                + "print('first line', flush=True)\n"
                + "while not os.path.exists('go'): time.sleep(0.05)\n"
                + "print('second line', flush=True)\n");
        String id = submit("Implement two steps", "command:python3 -u steps.py");
        List<String> events = new CopyOnWriteArrayList<>();
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> eventsRead = http.sendAsync(request("/api/v1/tasks/" + id + "/events"),
                HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> response.body().forEach(events::add));
        CompletableFuture<Void> logRead = http.sendAsync(request("/api/v1/tasks/" + id + "/log?follow=true"),
                HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> response.body().forEach(log::add));

        // Live: the first line and the start are there while the task still waits for 'go'.
        await().atMost(Duration.ofSeconds(60)).until(() -> log.contains("first line")
                && events.contains("data: {\"line\":\"first line\"}") && events.contains("event: task_running"));
        assertThat(task(id).get("state")).isEqualTo("running");
        assertThat(log).doesNotContain("second line");
        Files.writeString(workDir.resolve("go"), "");

        eventsRead.get(60, TimeUnit.SECONDS);
        logRead.get(60, TimeUnit.SECONDS);
        assertThat(log).contains("first line", "second line");
        assertThat(events).contains("event: task_queued", "event: task_completed", "data: {\"line\":\"second line\"}",
                "event: end", "data: {\"state\":\"completed\"}");
        assertThat(events.get(events.size() - 2)).as("the end is the last event").isEqualTo("data: {\"state\":\"completed\"}");
        assertThat(events).filteredOn(line -> line.startsWith("id: ")).isNotEmpty();
        HttpResponse<String> whole = call("GET", "/api/v1/tasks/" + id + "/log", null);
        assertThat(whole.body()).contains("first line\n", "second line\n");

        // A reader that comes back gets the stored events after the last it had, and no log replayed.
        String firstId = events.stream().filter(line -> line.startsWith("id: ")).findFirst().orElseThrow().substring(4);
        HttpResponse<String> resumed = http.send(HttpRequest.newBuilder(request("/api/v1/tasks/" + id + "/events"),
                (name, value) -> true).header("Last-Event-ID", firstId).build(), HttpResponse.BodyHandlers.ofString());
        List<String> again = resumed.body().lines().toList();
        assertThat(again).filteredOn(line -> line.startsWith("id: ")).isNotEmpty()
                .allSatisfy(line -> assertThat(Long.parseLong(line.substring(4))).isGreaterThan(Long.parseLong(firstId)));
        assertThat(again).doesNotContain("event: task_queued", "event: log").contains("event: task_completed", "event: end");
        HttpResponse<String> badId = http.send(HttpRequest.newBuilder(request("/api/v1/tasks/" + id + "/events"),
                (name, value) -> true).header("Last-Event-ID", "yesterday").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(badId.statusCode()).isEqualTo(400);
        assertThat(json(badId).get("error")).isEqualTo("invalid Last-Event-ID 'yesterday': expected the id of an event "
                + "this stream sent");
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(file.url() + path)).header("Authorization", "Bearer " + file.token())
                .GET().build();
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_openapi_file_describes_every_path_and_each_path_it_describes_is_served() throws Exception {
        String id = submit("Fix typo", "command:true");
        await().atMost(Duration.ofSeconds(60)).until(() -> task(id).get("state").equals("completed"));
        String runId = startRun(TWO_STEPS);
        await().atMost(Duration.ofSeconds(60)).until(() -> run(runId).get("status").equals("completed"));
        HttpResponse<String> batch = call("POST", "/api/v1/batches", JSON.writeValueAsString(Map.of("lines",
                List.of(Map.of("prompt", "Fix typo", "agent", "command:true")), "workDir", workDir.toString())));
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(201);
        String batchId = (String) json(batch).get("batchId");
        await().atMost(Duration.ofSeconds(60)).until(() -> json(call("GET", "/api/v1/batches/" + batchId, null))
                .get("state").equals("completed"));
        HttpResponse<String> described = call("GET", "/api/v1/openapi.json", null);
        assertThat(described.statusCode()).isEqualTo(200);
        Map<String, Object> paths = (Map<String, Object>) json(described).get("paths");

        assertThat(paths).containsOnlyKeys("/healthz", "/api/v1/tasks", "/api/v1/tasks/{id}", "/api/v1/tasks/{id}/cancel",
                "/api/v1/tasks/{id}/events", "/api/v1/tasks/{id}/log", "/api/v1/runs", "/api/v1/runs/{id}",
                "/api/v1/runs/{id}/cancel", "/api/v1/runs/{id}/resume", "/api/v1/batches", "/api/v1/batches/{id}",
                "/api/v1/batches/{id}/cancel", "/api/v1/batches/{id}/resume",
                "/api/v1/nodes", "/api/v1/telemetry", "/api/v1/openapi.json", "/metrics");
        Map<String, String> ids = Map.of("/api/v1/tasks", id, "/api/v1/runs", runId, "/api/v1/batches", batchId);
        for (Map.Entry<String, Object> path : paths.entrySet()) {
            for (String method : ((Map<String, Object>) path.getValue()).keySet()) {
                String concrete = path.getKey().replace("{id}", ids.getOrDefault(path.getKey().replaceAll("/\\{id}.*", ""),
                        ""));
                HttpResponse<String> answer = call(method.toUpperCase(java.util.Locale.ROOT), concrete,
                        method.equals("post") ? "{}" : null);
                assertThat(answer.statusCode()).as(method + " " + path.getKey() + ": " + answer.body())
                        .isNotIn(404, 405, 500);
            }
        }
        assertThat(call("GET", "/api/v1/nothing", null).body()).contains("/api/v1/openapi.json lists the API");
        assertThat((List<Map<String, Object>>) json(call("GET", "/api/v1/runs?limit=5", null)).get("runs"))
                .extracting(listed -> listed.get("runId") + " " + listed.get("stepsCompleted") + "/" + listed.get("steps"))
                .contains(runId + " 2/2");
        assertThat((List<Map<String, Object>>) json(call("GET", "/api/v1/batches?since=1h", null)).get("batches"))
                .extracting(listed -> listed.get("batchId") + " " + listed.get("stateShown")).contains(batchId + " completed");
        HttpResponse<String> badLimit = call("GET", "/api/v1/batches?limit=0", null);
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(badLimit.body()).contains("limit");
    }

    /** Two steps in order: the second needs the first's file. */
    private static final String TWO_STEPS = String.join("\n", "name: two", "complexity: high", "steps:",
            "  - id: first", "    agent: \"command:sh -c 'echo one > first.txt'\"",
            "  - id: second", "    needs: [first]", "    agent: \"command:sh -c 'test -f first.txt && echo two > second.txt'\"")
            + "\n";

    private String startRun(String yaml) throws Exception {
        HttpResponse<String> created = call("POST", "/api/v1/runs", JSON.writeValueAsString(Map.of("yaml", yaml,
                "prompt", "Ship it", "workDir", workDir.toString())));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/runs/" + json(created).get("runId"));
        return (String) json(created).get("runId");
    }

    private Map<String, Object> run(String runId) throws Exception {
        return json(call("GET", "/api/v1/runs/" + runId, null));
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_workflow_run_runs_its_steps_in_order_and_another_is_cancelled_over_http() throws Exception {
        String done = startRun(TWO_STEPS);

        await().atMost(Duration.ofSeconds(60)).until(() -> run(done).get("status").equals("completed"));
        assertThat((List<Map<String, Object>>) run(done).get("steps")).extracting(step -> step.get("id"),
                step -> step.get("status")).containsExactly(org.assertj.core.groups.Tuple.tuple("first", "completed"),
                org.assertj.core.groups.Tuple.tuple("second", "completed"));
        assertThat(workDir.resolve("second.txt")).exists();

        Files.writeString(workDir.resolve("tree.py"), PYTHON_TREE);
        String waiting = startRun(String.join("\n", "name: long", "complexity: high", "steps:",
                "  - id: wait", "    agent: \"command:python3 tree.py\"",
                "  - id: after", "    needs: [wait]", "    agent: \"command:sh -c 'echo > after.txt'\"") + "\n");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(workDir.resolve("pids.txt"))
                && !Files.readString(workDir.resolve("pids.txt")).isBlank());
        for (String pid : Files.readString(workDir.resolve("pids.txt")).trim().split(" ")) {
            pids.add(Long.parseLong(pid));
        }
        HttpResponse<String> cancel = call("POST", "/api/v1/runs/" + waiting + "/cancel", null);

        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> run(waiting).get("status").equals("cancelled"));
        assertThat((List<Map<String, Object>>) run(waiting).get("steps")).extracting(step -> step.get("status"))
                .containsOnly("cancelled");
        assertThat(workDir.resolve("after.txt")).doesNotExist();
        for (long pid : pids) {
            assertThat(ProcFs.system().alive(pid)).as("process %d of the run", pid).isFalse();
        }
        assertThat(call("POST", "/api/v1/runs/" + waiting + "/cancel", null).statusCode()).isEqualTo(409);
        assertThat(call("GET", "/api/v1/runs/run-nope", null).statusCode()).isEqualTo(404);
    }

    @Test
    void bad_run_requests_are_refused_naming_what_is_wrong_and_store_no_run() throws Exception {
        Map<String, String> bodies = Map.of(
                "{\"prompt\": \"Ship it\"}", "give 'workflow' (a workflow's name) or 'yaml'",
                "{\"workflow\": \"nope\", \"prompt\": \"Ship it\"}", "invalid workflow 'nope': expected a workflow's name",
                "{\"yaml\": \"steps: [\", \"prompt\": \"Ship it\"}", "the request's yaml",
                "{\"workflow\": \"codebase-analysis\"}", "'prompt' is missing",
                "{\"workflow\": \"codebase-analysis\", \"prompt\": \"x\", \"steps\": 3}", "unknown field 'steps'");

        assertRefused("/api/v1/runs", bodies);
        try (JdbcTaskStore store = SqliteStore.open(home().resolve("workers.db"))) {
            assertThat(store.runs().recentRuns(10)).as("no run stored").isEmpty();
        }
    }

    /** Each body posted to {@code path} is refused with 400, its error containing what the map gives for it. */
    private void assertRefused(String path, Map<String, String> bodies) throws Exception {
        for (Map.Entry<String, String> bad : bodies.entrySet()) {
            HttpResponse<String> response = call("POST", path, bad.getKey());
            assertThat(response.statusCode()).as(bad.getKey() + " " + response.body()).isEqualTo(400);
            assertThat(json(response).get("error").toString()).as(bad.getKey()).contains(bad.getValue());
        }
    }

    private String submit(String prompt, String agent) throws Exception {
        HttpResponse<String> created = call("POST", "/api/v1/tasks", JSON.writeValueAsString(Map.of("prompt", prompt,
                "agent", agent, "workers", true, "workDir", workDir.toString())));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return (String) json(created).get("taskId");
    }
}
