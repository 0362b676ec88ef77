package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.client.ServerFile;
import dev.mayfly.process.ProcFs;
import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.SqliteStore;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.task.TaskState;
import dev.mayfly.worker.WorkerMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mayfly run} as a server's client, with real processes: a server ({@code mayfly serve}), CLI
 * clients of it, and Python programs as the tasks' agents. The work runs in the server's pool under
 * the server's settings; the client prints what a standalone run prints and exits as it would.
 */
class ServerClientProcessTest {

    /** Writes its pid to the file its first argument names, then waits as long as its second says. */
    private static final String PYTHON_WAIT = "import os, sys, time\n"
            + "open(sys.argv[1], 'w').write(str(os.getpid()))\n"
            + "time.sleep(float(sys.argv[2]))\n"
            + "print('waited', sys.argv[2])\n";
    private static final Pattern TASK_ID = Pattern.compile("task-[a-z0-9]+-[a-z0-9]+");
    /** The server's settings: the clients give none of their own. */
    private static final Map<String, String> SERVER = Map.of("MAYFLY_GRACE_PERIOD", "1s", "MAYFLY_HEAP_MB", "64",
            "MAYFLY_MAX_WORKERS", "2", "USE_WORKERS", "true");

    @TempDir
    Path workDir;

    private MayflyProcess server;
    private final List<MayflyProcess> clients = new ArrayList<>();

    @BeforeEach
    void startServer() throws Exception {
        Files.writeString(workDir.resolve("wait.py"), PYTHON_WAIT);
        server = MayflyProcess.start(workDir, SERVER, "serve", "--port", "0");
        long pid = server.process().pid();
        await().atMost(Duration.ofSeconds(60)).until(() -> ServerFile.read(home()).filter(file -> file.pid() == pid)
                .isPresent());
    }

    @AfterEach
    void stopAll() throws Exception {
        for (MayflyProcess client : clients) {
            client.close();
        }
        server.close();
    }

    private Path home() {
        return workDir.resolve(".mayfly");
    }

    private MayflyProcess client(String... args) throws Exception {
        MayflyProcess client = MayflyProcess.start(workDir, Map.of(), args);
        clients.add(client);
        return client;
    }

    private TaskRecord stored(String taskId) {
        try (JdbcTaskStore store = SqliteStore.open(home().resolve("workers.db"))) {
            return store.findTask(taskId).orElseThrow();
        }
    }

    private static String taskId(String output) {
        Matcher matcher = TASK_ID.matcher(output);
        assertThat(matcher.find()).as(output).isTrue();
        return matcher.group();
    }

    /** Whether the server's process ran the task (not the client's, as a standalone run's would). */
    private boolean ranInServer(String taskId) {
        try (JdbcTaskStore store = SqliteStore.open(home().resolve("workers.db"))) {
            String supervisor = store.findTask(taskId).orElseThrow().supervisorId();
            return store.findSupervisor(supervisor).orElseThrow().pid() == server.process().pid();
        }
    }

    @Test
    void run_sends_its_task_to_the_server_prints_what_a_standalone_run_prints_and_exits_as_it_would() throws Exception {
        MayflyProcess.Result completed = client("run", "--prompt", "Implement a short wait", "--complexity", "high",
                "--", "python3", "wait.py", "pid.txt", "0.5").awaitExit();

        assertThat(completed.exitCode()).as(completed.stderr()).isZero();
        String id = taskId(completed.stdout());
        assertThat(completed.stdout()).contains("Task " + id + " completed (worker, ")
                .contains("Result: {\"exitCode\":0,\"output\":\"waited 0.5\\n\"}")
                .contains("Folder: " + home().resolve("runs").resolve(id));
        assertThat(completed.stderr()).contains("queued on the server at http://127.0.0.1:").contains("task_completed");
        // The server ran it, under its own settings (the client's environment has none).
        assertThat(ranInServer(id)).isTrue();
        assertThat(stored(id).heapLimitMb()).isEqualTo(64);

        MayflyProcess.Result failed = client("run", "--json", "--timeout", "30s", "--prompt", "Fail", "--",
                "python3", "-c", "import sys; print('it broke'); sys.exit(3)").awaitExit();

        assertThat(failed.exitCode()).as(failed.stderr()).isEqualTo(1);
        assertThat(failed.stdout()).contains("\"status\":\"failed\"").contains("\"reason\":\"error\"")
                .contains("\"exitCode\":3").contains("it broke");
        assertThat(stored(taskId(failed.stdout())).timeoutMs()).isEqualTo(30_000);

        MayflyProcess.Result refused = client("run", "--prompt", "x", "--memory-mb", "5", "--", "true").awaitExit();
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).startsWith("mayfly: invalid --memory-mb '5'");
    }

    @Test
    void three_clients_at_once_share_the_server_s_two_workers_and_all_complete() throws Exception {
        List<MayflyProcess> three = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            three.add(client("run", "--prompt", "Implement a wait " + i, "--complexity", "high", "--", "python3",
                    "wait.py", "pid-" + i + ".txt", "3"));
        }
        AtomicInteger most = new AtomicInteger();
        List<Long> clientPids = three.stream().map(client -> client.process().pid()).toList();
        // Counts the worker JVMs under the server, and any a client started of its own, until all three end.
        List<String> crowded = new ArrayList<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).until(() -> {
            List<ProcessHandle> workers = server.process().descendants().filter(ServerClientProcessTest::isWorker).toList();
            most.accumulateAndGet(workers.size(), Math::max);
            if (workers.size() > 2) {
                // What was seen, for the failure's message: each worker's pid, parent, start and state.
                crowded.add(workers.stream().map(worker -> worker.pid() + " (parent " + worker.parent().map(
                        ProcessHandle::pid).orElse(-1L) + ", started " + worker.info().startInstant().orElse(null)
                        + ", alive " + worker.isAlive() + ", " + worker.info().arguments().map(List::of).map(arguments ->
                        arguments.get(arguments.size() - 1)).orElse("?") + ")").toList().toString());
            }
            for (long pid : clientPids) {
                ProcessHandle.of(pid).ifPresent(client -> assertThat(client.descendants().filter(
                        ServerClientProcessTest::isWorker).count()).as("worker JVMs of client %d", pid).isZero());
            }
            return three.stream().noneMatch(client -> client.process().isAlive());
        });

        for (MayflyProcess client : three) {
            MayflyProcess.Result result = client.awaitExit();
            assertThat(result.exitCode()).as(result.stderr()).isZero();
            String id = taskId(result.stdout());
            assertThat(stored(id).state()).isEqualTo(TaskState.COMPLETED);
            assertThat(ranInServer(id)).isTrue();
        }
        assertThat(most.get()).as("worker JVMs alive at once: %s", crowded).isBetween(1, 2);
    }

    /**
     * A worker JVM: one that runs WorkerMain, started by a supervisor. A program a worker is starting
     * shows its parent's command line from the fork until its exec (a test run once counted one as a
     * third worker), so a process whose parent is a worker is not one.
     */
    private static boolean isWorker(ProcessHandle process) {
        return runsWorkerMain(process) && !process.parent().map(ServerClientProcessTest::runsWorkerMain).orElse(false);
    }

    private static boolean runsWorkerMain(ProcessHandle process) {
        return process.info().arguments().map(arguments -> List.of(arguments).contains(WorkerMain.class.getName()))
                .orElse(false);
    }

    @Test
    void ctrl_c_without_a_terminal_cancels_the_task_and_stops_its_python_tree() throws Exception {
        MayflyProcess client = MayflyProcess.startInOwnGroup(workDir, Map.of(), "run", "--prompt", "Implement a long wait",
                "--complexity", "high", "--", "python3", "wait.py", "pid.txt", "600");
        clients.add(client);
        long pid = awaitPid("pid.txt");

        client.interruptGroup();

        MayflyProcess.Result result = client.awaitExit();
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(130);
        assertThat(result.stderr()).contains("mayfly: cancelling task");
        String id = taskId(result.stdout());
        assertThat(result.stdout()).contains("Task " + id + " cancelled");
        assertThat(stored(id).state()).isEqualTo(TaskState.CANCELLED);
        assertThat(ProcFs.system().alive(pid)).as("the task's python process").isFalse();
    }

    @Test
    void ctrl_c_at_a_terminal_asks_and_detach_leaves_the_task_running_in_the_server() throws Exception {
        MayflyProcess client = MayflyProcess.startInTerminal(workDir, Map.of(), "run", "--prompt", "Implement a wait",
                "--complexity", "high", "--", "python3", "wait.py", "pid.txt", "4");
        clients.add(client);
        awaitPid("pid.txt");
        String id = taskId(client.stdoutSoFar());

        client.type("\u0003");
        await().atMost(Duration.ofSeconds(30)).until(() -> client.stdoutSoFar().contains("(d)? [c]"));
        client.type("d\n");

        MayflyProcess.Result result = client.awaitExit();
        assertThat(result.stdout()).contains("detached; task " + id + " goes on in the server");
        assertThat(result.exitCode()).isEqualTo(130);
        await().atMost(Duration.ofSeconds(60)).until(() -> stored(id).state() == TaskState.COMPLETED);
    }

    @Test
    void detach_returns_once_the_task_is_stored_and_the_server_runs_it_to_its_end() throws Exception {
        MayflyProcess.Result detached = client("run", "--detach", "--prompt", "Implement a wait", "--complexity", "high",
                "--", "python3", "wait.py", "pid.txt", "2").awaitExit();

        assertThat(detached.exitCode()).as(detached.stderr()).isZero();
        String id = taskId(detached.stdout());
        assertThat(detached.stdout()).contains("mayfly logs " + id + " --follow");
        assertThat(stored(id).state().terminal()).isFalse();
        await().atMost(Duration.ofSeconds(60)).until(() -> stored(id).state() == TaskState.COMPLETED);
    }

    @Test
    void server_none_runs_standalone_and_an_explicit_server_needs_its_token() throws Exception {
        MayflyProcess.Result standalone = client("run", "--server", "none", "--prompt", "x", "--", "true").awaitExit();
        assertThat(standalone.exitCode()).as(standalone.stderr()).isZero();
        assertThat(ranInServer(taskId(standalone.stdout()))).isFalse();

        String url = ServerFile.read(home()).orElseThrow().url();
        String token = ServerFile.read(home()).orElseThrow().token();
        Path elsewhere = Files.createDirectories(workDir.resolve("elsewhere"));
        Map<String, String> withToken = new HashMap<>(Map.of("MAYFLY_HOME", elsewhere.resolve(".mayfly").toString()));
        MayflyProcess.Result noToken = MayflyProcess.run(workDir, withToken, "run", "--server", url, "--prompt", "x",
                "--", "true");
        assertThat(noToken.exitCode()).isEqualTo(2);
        assertThat(noToken.stderr()).contains("give its token in MAYFLY_TOKEN");

        withToken.put("MAYFLY_TOKEN", token);
        MayflyProcess.Result remote = MayflyProcess.run(workDir, withToken, "run", "--server", url, "--prompt", "x",
                "--", "true");
        assertThat(remote.exitCode()).as(remote.stderr()).isZero();
        assertThat(ranInServer(taskId(remote.stdout()))).isTrue();

        withToken.put("MAYFLY_TOKEN", "wrong");
        MayflyProcess.Result wrong = MayflyProcess.run(workDir, withToken, "run", "--server", url, "--prompt", "x",
                "--", "true");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.stderr()).contains("mayfly: error:").containsIgnoringCase("token");

        MayflyProcess.Result badUrl = client("run", "--server", "ftp://x", "--prompt", "x", "--", "true").awaitExit();
        assertThat(badUrl.exitCode()).isEqualTo(2);
        assertThat(badUrl.stderr()).contains("invalid --server 'ftp://x': expected a server's address");
    }

    @Test
    void a_workflow_run_goes_to_the_server_and_prints_its_steps_as_a_standalone_run_does() throws Exception {
        Files.writeString(workDir.resolve("flow.yaml"), String.join("\n", "name: flow", "complexity: high", "steps:",
                "  - id: first", "    agent: command:python3 wait.py first.txt 0.2", "    prompt: first",
                "  - id: second", "    needs: [first]", "    agent: command:python3 -c print(2)", "    prompt: second", ""));
        Files.writeString(workDir.resolve("broken.yaml"), String.join("\n", "name: broken", "steps:",
                "  - id: only", "    agent: command:python3 -c exit(4)", "    prompt: fail", ""));

        MayflyProcess.Result completed = client("run", "--workflow", "flow.yaml", "--prompt", "Review it").awaitExit();

        assertThat(completed.exitCode()).as(completed.stderr()).isZero();
        Matcher run = Pattern.compile("Run (run-\\S+) completed \\(workflow flow, 2 step\\(s\\)\\)").matcher(completed.stdout());
        assertThat(run.find()).as(completed.stdout()).isTrue();
        assertThat(completed.stdout()).containsPattern("first\\s+completed\\s+task-")
                .containsPattern("second\\s+completed\\s+task-")
                .contains("Summary: " + home().resolve("runs").resolve(run.group(1)).resolve("run-summary.md"));
        assertThat(completed.stderr()).contains("started on the server at").contains("[Server] step first running");
        try (JdbcTaskStore store = SqliteStore.open(home().resolve("workers.db"))) {
            String supervisor = store.runs().findRun(run.group(1)).orElseThrow().supervisorId();
            assertThat(store.findSupervisor(supervisor).orElseThrow().pid()).isEqualTo(server.process().pid());
        }

        MayflyProcess.Result failed = client("run", "--json", "--workflow", "broken.yaml", "--prompt", "Fail").awaitExit();
        assertThat(failed.exitCode()).as(failed.stderr()).isEqualTo(1);
        assertThat(failed.stdout()).contains("\"status\":\"failed\"", "\"failedStep\":\"only\"", "\"workflow\":\"broken\"");
    }

    @Test
    void status_with_server_url_elsewhere_prints_what_status_prints_in_the_server_s_own_home() throws Exception {
        Files.writeString(workDir.resolve("flow.yaml"), String.join("\n", "name: flow", "steps:",
                "  - id: first", "    agent: command:python3 wait.py first.txt 0.2", "    prompt: first",
                "  - id: second", "    needs: [first]", "    agent: command:python3 -c exit(4)", "    prompt: second", ""));
        Files.writeString(workDir.resolve("lines.jsonl"),
                "{\"prompt\": \"Implement one\", \"agent\": \"command:python3 wait.py one.txt 0.2\"}\n");
        MayflyProcess.Result task = client("run", "--workers", "--complexity", "high", "--prompt", "Implement a wait",
                "--", "python3", "wait.py", "task.txt", "0.3").awaitExit();
        assertThat(task.exitCode()).as(task.stderr()).isZero();
        MayflyProcess.Result run = client("run", "--workflow", "flow.yaml", "--prompt", "Review it").awaitExit();
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(client("batch", "lines.jsonl").awaitExit().exitCode()).isZero();
        String taskId = taskId(task.stdout());
        Matcher runId = Pattern.compile("run-[a-z0-9-]+").matcher(run.stdout());
        assertThat(runId.find()).as(run.stdout()).isTrue();

        // Another home, with no store of its own: everything it shows comes through the server's API.
        ServerFile file = ServerFile.read(home()).orElseThrow();
        Path elsewhere = Files.createDirectories(workDir.resolve("elsewhere"));
        Map<String, String> remote = Map.of("MAYFLY_HOME", elsewhere.resolve(".mayfly").toString(),
                "MAYFLY_TOKEN", file.token());
        for (List<String> args : List.<List<String>>of(List.of(), List.of("--json"), List.of(taskId), List.of(taskId, "--json"),
                List.of(runId.group(), "--json"), List.of(runId.group()))) {
            MayflyProcess.Result local = MayflyProcess.run(workDir, Map.of(), status(args));
            MayflyProcess.Result remoteResult = MayflyProcess.run(workDir, remote,
                    status(List.of("--server", file.url()), args));

            assertThat(local.exitCode()).as(local.stderr()).isZero();
            assertThat(remoteResult.exitCode()).as(remoteResult.stderr()).isZero();
            assertThat(remoteResult.stdout()).as("status %s", args).isEqualTo(local.stdout());
        }
        assertThat(Files.exists(elsewhere.resolve(".mayfly/workers.db"))).as("no store was made elsewhere").isFalse();
        String list = MayflyProcess.run(workDir, remote, "status", "--server", file.url()).stdout();
        assertThat(list).contains(taskId, runId.group(), "Batches (", "Workflow runs (");

        MayflyProcess.Result missing = MayflyProcess.run(workDir, remote, "status", "--server", file.url(), "task-nope");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("the server at " + file.url() + " has no task 'task-nope'");
    }

    @SafeVarargs
    private static String[] status(List<String>... parts) {
        List<String> args = new ArrayList<>(List.of("status"));
        for (List<String> part : parts) {
            args.addAll(part);
        }
        return args.toArray(String[]::new);
    }

    @Test
    void a_batch_goes_to_the_server_and_prints_the_summary_a_standalone_batch_prints() throws Exception {
        Files.writeString(workDir.resolve("prompt.txt"), "Implement what this file asks");
        Files.writeString(workDir.resolve("lines.jsonl"), String.join("\n",
                "{\"prompt\": \"Implement one\", \"agent\": \"command:python3 wait.py one.txt 0.2\"}",
                "",
                "{\"prompt\": \"Implement a failure\", \"agent\": \"command:python3 -c exit(3)\"}",
                "{\"promptt\": \"misspelt\"}",
                "{\"promptFile\": \"prompt.txt\", \"agent\": \"command:python3 wait.py two.txt 0.2\", \"priority\": 5}", ""));

        MayflyProcess.Result batch = client("batch", "--timeout", "45s", "lines.jsonl").awaitExit();

        assertThat(batch.exitCode()).as(batch.stderr()).isEqualTo(1);
        assertThat(batch.stdout()).contains("Batch done: 3 tasks in ", "2 completed, 1 failed (error 1), 1 line(s) left out.")
                .containsPattern("line 3  task-\\S+  error: python3 exited with code 3")
                .contains("line 4: unknown field 'promptt'");
        assertThat(batch.stderr()).contains("task(s) stored on the server at").containsPattern("\\[\\d/3] line 5 task-");
        Matcher batchId = Pattern.compile("batch (batch-\\S+) \\('mayfly resume").matcher(batch.stdout());
        assertThat(batchId.find()).as(batch.stdout()).isTrue();
        try (JdbcTaskStore store = SqliteStore.open(home().resolve("workers.db"))) {
            List<dev.mayfly.store.BatchStore.LineTask> lines = store.batches().lastTasks(batchId.group(1));
            assertThat(lines).hasSize(3);
            for (dev.mayfly.store.BatchStore.LineTask line : lines) {
                assertThat(ranInServer(line.taskId())).isTrue();
                assertThat(store.findTask(line.taskId()).orElseThrow().timeoutMs()).as("the --timeout flag").isEqualTo(45_000);
            }
            assertThat(store.findTask(lines.get(2).taskId()).orElseThrow().prompt()).isEqualTo("Implement what this file asks");
        }

        MayflyProcess.Result detached = client("batch", "--detach", "lines.jsonl").awaitExit();
        assertThat(detached.exitCode()).as(detached.stderr()).isZero();
        Matcher detachedId = Pattern.compile("Batch (batch-\\S+) running").matcher(detached.stdout());
        assertThat(detachedId.find()).as(detached.stdout()).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            try (JdbcTaskStore store = SqliteStore.open(home().resolve("workers.db"))) {
                return store.batches().findBatch(detachedId.group(1)).orElseThrow().state().label().equals("failed");
            }
        });
    }

    @Test
    void resume_takes_up_a_failed_run_and_batch_in_the_server() throws Exception {
        Files.writeString(workDir.resolve("gate.py"), "import os, sys\nsys.exit(0 if os.path.exists('fixed') else 5)\n");
        Files.writeString(workDir.resolve("gate.yaml"), String.join("\n", "name: gate", "steps:",
                "  - id: first", "    agent: command:python3 -c print(1)", "    prompt: first",
                "  - id: gate", "    needs: [first]", "    agent: command:python3 gate.py", "    prompt: gate", ""));
        Files.writeString(workDir.resolve("gate.jsonl"), String.join("\n",
                "{\"prompt\": \"Fix one\", \"agent\": \"command:python3 -c print(1)\"}",
                "{\"prompt\": \"Fix two\", \"agent\": \"command:python3 gate.py\"}", ""));
        MayflyProcess.Result failedRun = client("run", "--workflow", "gate.yaml", "--prompt", "Gate it").awaitExit();
        assertThat(failedRun.exitCode()).as(failedRun.stdout() + failedRun.stderr()).isEqualTo(1);
        Matcher runId = Pattern.compile("Run (run-\\S+) failed at step 'gate'").matcher(failedRun.stdout());
        assertThat(runId.find()).as(failedRun.stdout()).isTrue();
        MayflyProcess.Result failedBatch = client("batch", "gate.jsonl").awaitExit();
        assertThat(failedBatch.exitCode()).as(failedBatch.stdout() + failedBatch.stderr()).isEqualTo(1);
        Matcher batchId = Pattern.compile("batch (batch-\\S+) \\('mayfly resume").matcher(failedBatch.stdout());
        assertThat(batchId.find()).as(failedBatch.stdout()).isTrue();
        Files.writeString(workDir.resolve("fixed"), "");

        MayflyProcess.Result resumedRun = client("resume", runId.group(1)).awaitExit();
        MayflyProcess.Result resumedBatch = client("resume", batchId.group(1)).awaitExit();

        assertThat(resumedRun.exitCode()).as(resumedRun.stdout() + resumedRun.stderr()).isZero();
        assertThat(resumedRun.stdout()).contains("Run " + runId.group(1) + " completed (workflow gate, 2 step(s))");
        assertThat(resumedRun.stderr()).contains("resumed on the server at");
        assertThat(resumedBatch.exitCode()).as(resumedBatch.stdout() + resumedBatch.stderr()).isZero();
        assertThat(resumedBatch.stdout()).contains("Batch done: 1 tasks in ", "1 completed, 0 failed.");
        try (JdbcTaskStore store = SqliteStore.open(home().resolve("workers.db"))) {
            String runSupervisor = store.runs().findRun(runId.group(1)).orElseThrow().supervisorId();
            assertThat(store.findSupervisor(runSupervisor).orElseThrow().pid()).isEqualTo(server.process().pid());
            String again = store.batches().lastTasks(batchId.group(1)).get(1).taskId();
            assertThat(ranInServer(again)).isTrue();
            assertThat(store.findTask(again).orElseThrow().state()).isEqualTo(TaskState.COMPLETED);
        }
        MayflyProcess.Result twice = client("resume", runId.group(1)).awaitExit();
        assertThat(twice.stdout()).contains("already completed; nothing to resume");
    }

    private long awaitPid(String file) {
        Path path = workDir.resolve(file);
        return await().atMost(Duration.ofSeconds(60)).until(
                () -> Files.exists(path) && !Files.readString(path).isBlank() ? Long.parseLong(Files.readString(path)) : null,
                pid -> pid != null);
    }
}
