package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mayfly.client.ServerFile;
import dev.mayfly.process.ProcFs;
import dev.mayfly.process.TaskMark;
import dev.mayfly.routing.Mode;
import dev.mayfly.store.AttemptRecord;
import dev.mayfly.store.EventRecord;
import dev.mayfly.store.RunRecord;
import dev.mayfly.store.RunStepRecord;
import dev.mayfly.store.Stores;
import dev.mayfly.store.SupervisorRecord;
import dev.mayfly.store.TaskFilter;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.store.TaskStore;
import dev.mayfly.store.postgresql.EmbeddedDatabase;
import dev.mayfly.task.TaskState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code mayfly serve} nodes, each its own JVM with its own home, sharing one real
 * PostgreSQL database (embedded): the store is their queue. Each node names a host of its own
 * ({@code HOSTNAME}), so that the others judge it by its heartbeat, as nodes on other machines are
 * ({@link #BEAT}). What is asserted is read from the store.
 */
class ClusterProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A beat of 1 s, a lease of 3 s: a lost node's tasks move within seconds, and a node on a busy
     * machine (its beat late behind other work) is not taken for gone. The test of sharing, which
     * loses no node, beats every 2 s.
     */
    private static final String BEAT = "1s";
    private static final String CALM_BEAT = "2s";
    private static final int SLOTS = 2;
    /** Waits until the file {@code hold} is gone (at most two minutes), then ends. */
    private static final String GATED = "import os, time\n"
            + "deadline = time.time() + 120\n"
            + "while os.path.exists('hold') and time.time() < deadline:\n"
            + "    time.sleep(0.05)\n";

    @TempDir
    Path workDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<MayflyProcess, String> launchedAs = new HashMap<>();
    private final List<String> submitted = new ArrayList<>();
    private String storeUrl;

    /** A node: its process, where it serves, and the supervisor it recorded. */
    private record Node(String name, MayflyProcess process, ServerFile file) {

        String supervisorId(TaskStore store) {
            return store.unstoppedSupervisors().stream().filter(supervisor -> supervisor.pid() == file.pid())
                    .map(SupervisorRecord::id).findFirst().orElseThrow();
        }
    }

    @BeforeEach
    void newDatabase() {
        storeUrl = EmbeddedDatabase.newDatabaseUrl();
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (MayflyProcess process : launchedAs.keySet()) {
            signal("CONT", process);
            process.close();
        }
        // A node killed outright leaves its workers' agents to end by themselves: end them here.
        for (String taskId : submitted) {
            new TaskMark(taskId).endAll(ProcFs.system(), Duration.ofSeconds(1));
        }
    }

    private Node start(String name) throws Exception {
        return start(name, SLOTS, BEAT);
    }

    private Node start(String name, int slots) throws Exception {
        return start(name, slots, BEAT);
    }

    private Node start(String name, int slots, String beat) throws Exception {
        return started(launch(name, slots, beat));
    }

    /** Nodes started side by side (each JVM's start is most of the wait), each with two slots. */
    private List<Node> startAll(String beat, String... names) throws Exception {
        List<MayflyProcess> launched = new ArrayList<>();
        for (String name : names) {
            launched.add(launch(name, SLOTS, beat));
        }
        List<Node> all = new ArrayList<>();
        for (MayflyProcess process : launched) {
            all.add(started(process));
        }
        return all;
    }

    private MayflyProcess launch(String name, int slots, String beat) throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("MAYFLY_HOME", workDir.resolve(name).toString());
        environment.put("MAYFLY_STORE_URL", storeUrl);
        environment.put("HOSTNAME", name);
        environment.put("MAYFLY_HEARTBEAT", beat);
        environment.put("MAYFLY_MAX_WORKERS", Integer.toString(slots));
        environment.put("MAYFLY_RETRIES", "1");
        environment.put("MAYFLY_HEAP_MB", "64");
        environment.put("MAYFLY_GRACE_PERIOD", "1s");
        MayflyProcess process = MayflyProcess.start(workDir, environment, "serve", "--port", "0");
        launchedAs.put(process, name);
        return process;
    }

    /** The node once it serves: its {@code server.json} names its pid. */
    private Node started(MayflyProcess process) {
        String name = launchedAs.get(process);
        long pid = process.process().pid();
        ServerFile file = await().atMost(Duration.ofSeconds(90)).until(
                () -> ServerFile.read(workDir.resolve(name)).orElse(null), found -> found != null && found.pid() == pid);
        return new Node(name, process, file);
    }

    private String submit(Node node, String prompt, String agent, boolean workers) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(node.file().url() + "/api/v1/tasks"))
                .header("Authorization", "Bearer " + node.file().token())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("prompt", prompt, "agent", agent,
                        "workers", workers, "workDir", workDir.toString()))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String taskId = (String) JSON.readValue(created.body(), Map.class).get("taskId");
        submitted.add(taskId);
        return taskId;
    }

    private TaskStore store() {
        return Stores.open(EmbeddedDatabase.location(storeUrl), Clock.systemUTC());
    }

    private static void signal(String name, MayflyProcess process) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.process().pid())).start().waitFor();
    }

    @Test
    @SuppressWarnings("unchecked")
    void three_nodes_share_300_tasks_and_each_completes_once_within_its_node_s_pool_and_each_shows_every_node()
            throws Exception {
        List<Node> three = startAll(CALM_BEAT, "node-1", "node-2", "node-3");
        for (int i = 0; i < 300; i++) {
            // One in ten runs in a worker JVM, held to its node's two slots; the rest run in-process.
            boolean worker = i % 10 == 0;
            submit(three.get(i % 3), (worker ? "Implement step " : "Fix typo ") + i, "command:true", worker);
        }

        try (TaskStore store = store()) {
            await().atMost(Duration.ofMinutes(4)).until(() -> store.findTasks(new TaskFilter(TaskState.COMPLETED, null,
                    1000)).size() == 300);
            List<TaskRecord> tasks = store.findTasks(new TaskFilter(null, null, 1000));
            assertThat(tasks).hasSize(300).allSatisfy(task -> {
                assertThat(task.state()).isEqualTo(TaskState.COMPLETED);
                assertThat(store.events(task.id())).extracting(EventRecord::type).as(task.id())
                        .containsOnlyOnce("task_claimed", "task_completed");
            });
            Map<String, List<TaskRecord>> byNode = tasks.stream().collect(Collectors.groupingBy(TaskRecord::supervisorId));
            assertThat(byNode).as("every node ran a share").hasSize(3);
            for (Node node : three) {
                assertThat(byNode.get(node.supervisorId(store))).as("each task's folder is in the home of the node that ran it")
                        .allSatisfy(task -> assertThat(Path.of(task.logPath())).startsWith(workDir.resolve(node.name())));
            }
            for (Map.Entry<String, List<TaskRecord>> ran : byNode.entrySet()) {
                List<TaskRecord> workers = ran.getValue().stream().filter(task -> task.mode() == Mode.WORKER).toList();
                assertThat(workers).as(ran.getKey() + "'s worker tasks").isNotEmpty();
                assertThat(mostAtOnce(workers)).as(ran.getKey() + "'s worker tasks running at once")
                        .isBetween(1, SLOTS);
            }
        }

        // Any node shows every node: over the API, and in mayfly top from a machine of its own.
        HttpResponse<String> listed = http.send(HttpRequest.newBuilder(URI.create(three.get(0).file().url()
                + "/api/v1/nodes")).header("Authorization", "Bearer " + three.get(0).file().token()).build(),
                HttpResponse.BodyHandlers.ofString());
        List<Map<String, Object>> shown = (List<Map<String, Object>>) JSON.readValue(listed.body(), Map.class).get("nodes");
        assertThat(shown).extracting(node -> node.get("host")).containsExactlyInAnyOrder("node-1", "node-2", "node-3");
        assertThat(shown).allSatisfy(node -> {
            assertThat(node.get("alive")).isEqualTo(true);
            assertThat((Map<String, Object>) ((Map<String, Object>) node.get("figures")).get("pool"))
                    .containsEntry("size", SLOTS);
        });
        MayflyProcess.Result top = MayflyProcess.run(workDir, Map.of("MAYFLY_STORE_URL", storeUrl, "HOSTNAME", "elsewhere"),
                "top", "--once");
        // Their pools as they kept them at their last beat: how many workers then, of two.
        assertThat(top.stdout()).as(top.stderr()).contains("on node-1 (at its last beat)", "on node-2 (at its last beat)",
                "on node-3 (at its last beat)").containsPattern("\\d / " + SLOTS);
    }

    /** The most tasks that ran at one time, from their start and end. */
    private static int mostAtOnce(List<TaskRecord> tasks) {
        record Change(Instant at, int by) {}
        List<Change> changes = new ArrayList<>();
        for (TaskRecord task : tasks) {
            changes.add(new Change(task.startedAt(), 1));
            changes.add(new Change(task.finishedAt(), -1));
        }
        // An end and a start at the same millisecond: the end first (the slot was given back).
        changes.sort(Comparator.comparing(Change::at).thenComparing(Change::by));
        int now = 0;
        int most = 0;
        for (Change change : changes) {
            now += change.by();
            most = Math.max(most, now);
        }
        return most;
    }

    @Test
    void a_node_killed_mid_task_has_its_tasks_run_again_on_the_others_and_none_completes_twice() throws Exception {
        Node first = start("node-1");
        try (TaskStore store = store()) {
            List<String> tasks = twoHeldTasks(first, store);
            String lost = first.supervisorId(store);
            startAll(BEAT, "node-2", "node-3");

            first.process().process().destroyForcibly().waitFor();
            awaitRunningElsewhere(store, tasks, lost);
            releaseAndAwaitCompleted(store, tasks);
            for (String id : tasks) {
                assertThat(store.events(id)).extracting(EventRecord::type).as(id).containsOnlyOnce("task_completed")
                        .contains("retry_scheduled");
                assertThat(store.attempts().attempts(id)).as(id).extracting(AttemptRecord::attempt, AttemptRecord::outcome)
                        .containsExactly(tuple(1, "interrupted"), tuple(2, "completed"));
                assertThat(store.findTask(id).orElseThrow().supervisorId()).isNotEqualTo(lost);
            }
        }
    }

    /** Writes the gated program and closes its gate: it waits until {@link #releaseAndAwaitCompleted}. */
    private void closeGate() throws Exception {
        Files.writeString(workDir.resolve("gated.py"), GATED);
        Files.writeString(workDir.resolve("hold"), "");
    }

    /** Two Python tasks submitted to the node, held at the gate; once both run there. */
    private List<String> twoHeldTasks(Node node, TaskStore store) throws Exception {
        closeGate();
        List<String> tasks = List.of(submit(node, "Implement one", "command:python3 gated.py", true),
                submit(node, "Implement two", "command:python3 gated.py", true));
        await().atMost(Duration.ofMinutes(1)).until(() -> tasks.stream().allMatch(id -> running(store, id)));
        return tasks;
    }

    /** Until the tasks run again, on nodes other than the one that lost them. */
    private static void awaitRunningElsewhere(TaskStore store, List<String> tasks, String lost) {
        await().atMost(Duration.ofMinutes(1)).until(() -> tasks.stream().allMatch(id -> running(store, id)
                && !store.findTask(id).orElseThrow().supervisorId().equals(lost)));
    }

    /** Opens the gate, and waits until every task completed. */
    private void releaseAndAwaitCompleted(TaskStore store, List<String> tasks) throws Exception {
        Files.delete(workDir.resolve("hold"));
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(tasks).allSatisfy(id ->
                assertThat(store.findTask(id).orElseThrow().state()).as(id + ": " + store.events(id)).isEqualTo(
                        TaskState.COMPLETED)));
    }

    @Test
    void a_run_s_steps_run_on_different_nodes_and_the_run_survives_the_node_that_started_it() throws Exception {
        closeGate();
        Node first = start("node-1", 1);
        Node second = start("node-2");
        String yaml = String.join("\n", "name: spread", "complexity: high", "steps:",
                "  - id: left", "    agent: \"command:python3 gated.py\"",
                "  - id: right", "    agent: \"command:python3 gated.py\"",
                "  - id: join", "    needs: [left, right]", "    agent: \"command:sh -c 'echo joined > joined.txt'\"") + "\n";
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(first.file().url() + "/api/v1/runs"))
                .header("Authorization", "Bearer " + first.file().token())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("yaml", yaml, "prompt", "Ship it",
                        "workers", true, "workDir", workDir.toString())))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String runId = (String) JSON.readValue(created.body(), Map.class).get("runId");

        try (TaskStore store = store()) {
            // Node 1 has one slot: its run's two first steps are run by both nodes.
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                List<String> started = stepTasks(store, runId, "left", "right");
                return started.size() == 2 && started.stream().allMatch(id -> running(store, id));
            });
            List<String> steps = stepTasks(store, runId, "left", "right");
            String starter = first.supervisorId(store);
            assertThat(steps).extracting(id -> store.findTask(id).orElseThrow().supervisorId())
                    .containsExactlyInAnyOrder(starter, second.supervisorId(store));
            String lostStep = steps.stream().filter(id -> store.findTask(id).orElseThrow().supervisorId().equals(starter))
                    .findFirst().orElseThrow();
            String keptStep = steps.stream().filter(id -> !id.equals(lostStep)).findFirst().orElseThrow();

            first.process().process().destroyForcibly().waitFor();
            await().atMost(Duration.ofMinutes(1)).until(() -> store.runs().findRun(runId).orElseThrow().supervisorId()
                    .equals(second.supervisorId(store)));
            awaitRunningElsewhere(store, steps, starter);
            releaseAndAwaitCompleted(store, steps);

            await().atMost(Duration.ofMinutes(1)).until(() -> store.runs().findRun(runId).orElseThrow().state()
                    == RunRecord.State.COMPLETED);
            assertThat(workDir.resolve("joined.txt")).exists();
            assertThat(store.runs().steps(runId)).extracting(RunStepRecord::stepId, RunStepRecord::state)
                    .containsExactlyInAnyOrder(tuple("left", RunStepRecord.State.COMPLETED),
                            tuple("right", RunStepRecord.State.COMPLETED), tuple("join", RunStepRecord.State.COMPLETED));
            assertThat(stepTasks(store, runId, "left", "right")).as("the same tasks, not new ones")
                    .containsExactlyInAnyOrderElementsOf(steps);
            for (String id : stepTasks(store, runId, "left", "right", "join")) {
                assertThat(store.events(id)).extracting(EventRecord::type).as(id).containsOnlyOnce("task_completed");
            }
            assertThat(store.attempts().attempts(lostStep)).extracting(AttemptRecord::outcome)
                    .as("the lost node's step ran again").containsExactly("interrupted", "completed");
            assertThat(store.attempts().attempts(keptStep)).extracting(AttemptRecord::outcome)
                    .as("the other node's step was waited for, not run again").containsExactly("completed");
        }
    }

    @Test
    void a_task_cancelled_through_one_node_stops_on_the_node_that_runs_it() throws Exception {
        closeGate();
        Node first = start("node-1", 1);
        Node second = start("node-2");
        try (TaskStore store = store()) {
            String busy = submit(first, "Implement one", "command:python3 gated.py", true);
            await().atMost(Duration.ofMinutes(1)).until(() -> running(store, busy));
            // Node 1's one slot is taken: the next task submitted to it runs on node 2.
            String elsewhere = submit(first, "Implement two", "command:python3 gated.py", true);
            await().atMost(Duration.ofMinutes(1)).until(() -> running(store, elsewhere));
            assertThat(store.findTask(elsewhere).orElseThrow().supervisorId()).isEqualTo(second.supervisorId(store));
            long worker = store.attempts().attempts(elsewhere).get(0).pid();

            HttpResponse<String> cancelled = http.send(HttpRequest.newBuilder(URI.create(first.file().url()
                    + "/api/v1/tasks/" + elsewhere + "/cancel")).header("Authorization", "Bearer " + first.file().token())
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(202);
            await().atMost(Duration.ofMinutes(1)).until(() -> store.findTask(elsewhere).orElseThrow().state()
                    == TaskState.CANCELLED);
            await().atMost(Duration.ofSeconds(30)).until(() -> !ProcFs.system().alive(worker));
            assertThat(store.findTask(busy).orElseThrow().state()).as("the other task goes on").isEqualTo(TaskState.RUNNING);
        }
    }

    /** The tasks of the run's steps, as the steps name them. */
    private static List<String> stepTasks(TaskStore store, String runId, String... stepIds) {
        List<String> ids = new ArrayList<>();
        for (String stepId : stepIds) {
            store.runs().steps(runId).stream().filter(step -> step.stepId().equals(stepId) && step.taskId() != null)
                    .forEach(step -> ids.add(step.taskId()));
        }
        return ids;
    }

    private static boolean running(TaskStore store, String taskId) {
        return store.findTask(taskId).map(task -> task.state() == TaskState.RUNNING).orElse(false);
    }

    @Test
    void a_paused_node_loses_its_lease_its_late_results_are_refused_it_stops_its_workers_and_rejoins() throws Exception {
        Node paused = start("node-1");
        try (TaskStore store = store()) {
            List<String> tasks = twoHeldTasks(paused, store);
            String pausedId = paused.supervisorId(store);
            List<Long> staleWorkers = tasks.stream().map(id -> store.attempts().attempts(id).get(0).pid()).toList();
            Node other = start("node-2");

            signal("STOP", paused.process());
            awaitRunningElsewhere(store, tasks, pausedId);
            signal("CONT", paused.process());

            // Back, it finds its lease lost, stops the workers of its lost claims (what they report is
            // refused), and rejoins.
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                assertThat(staleWorkers).allSatisfy(pid -> assertThat(ProcFs.system().alive(pid)).as("worker %d", pid)
                        .isFalse());
                assertThat(store.unstoppedSupervisors()).extracting(SupervisorRecord::id).contains(pausedId);
            });
            for (String id : tasks) {
                assertThat(store.events(id)).filteredOn(event -> event.type().equals("late_result_refused"))
                        .as(id).isNotEmpty().extracting(EventRecord::supervisorId).containsOnly(pausedId);
            }
            releaseAndAwaitCompleted(store, tasks);
            for (String id : tasks) {
                assertThat(store.events(id)).extracting(EventRecord::type).as(id).containsOnlyOnce("task_completed");
                assertThat(store.attempts().attempts(id)).as(id).extracting(AttemptRecord::outcome)
                        .containsExactly("interrupted", "completed");
            }

            // It works again: alone now, it runs what is submitted to it.
            other.process().close();
            String after = submit(paused, "Fix typo", "command:true", false);
            await().atMost(Duration.ofMinutes(1)).until(() -> store.findTask(after).orElseThrow().state()
                    == TaskState.COMPLETED);
            assertThat(store.findTask(after).orElseThrow().supervisorId()).isEqualTo(pausedId);
        }
    }
}
