package dev.mayfly.bench;

import dev.mayfly.client.ServerFile;
import dev.mayfly.store.EventRecord;
import dev.mayfly.store.SqliteStore;
import dev.mayfly.store.Stores;
import dev.mayfly.store.TaskFilter;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.store.TaskStore;
import dev.mayfly.store.postgresql.EmbeddedDatabase;
import dev.mayfly.task.TaskState;
import java.io.IOException;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several {@code mayfly serve} nodes (whole processes of the built application) sharing one store:
 * how long a submitted task waits to be claimed, and how many empty tasks a second go through, with
 * 1, 2 and 3 nodes on one PostgreSQL, beside one node on SQLite and beside the floor (the tasks'
 * own {@code true} processes started 4 at a time without Mayfly); then how long after a node is
 * killed its running tasks run on another. Run by {@code scripts/bench cluster}; docs/benchmarks.md
 * has the results.
 *
 * <p>The tasks are in-process {@code command:true}: what is measured is the queue (submit, claim,
 * start, record), not a worker JVM's start, which {@code scripts/bench overhead} measures.
 */
public final class ClusterBenchmark {

    private static final Pattern TASK_ID = Pattern.compile("\"taskId\"\\s*:\\s*\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ClusterBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path app = Path.of(BenchSupport.stringArg(args, "--app", "mayfly-cli/target/app/mayfly.jar")).toAbsolutePath();
        int tasks = BenchSupport.intArg(args, "--tasks", 300);
        int rounds = BenchSupport.intArg(args, "--rounds", 3);
        int kills = BenchSupport.intArg(args, "--kills", 5);
        String beat = BenchSupport.stringArg(args, "--beat", "1s");
        System.out.printf(Locale.ROOT, "%d empty in-process tasks a round, submitted over HTTP by 4 threads to the nodes "
                + "in turn; %d rounds, medians%n", tasks, rounds);
        System.out.printf(Locale.ROOT, "%-22s %14s %14s %14s%n", "", "tasks/s", "claim p50 ms", "claim p95 ms");
        for (int round = 0; round < rounds; round++) {
            System.out.printf(Locale.ROOT, "round %d%n", round + 1);
            row("floor: 'true' x4", floor(tasks), Double.NaN, Double.NaN);
            report("1 node, SQLite", run(app, 1, tasks, null));
            for (int nodes = 1; nodes <= 3; nodes++) {
                report(nodes + " node(s), PostgreSQL", run(app, nodes, tasks, EmbeddedDatabase.newDatabaseUrl()));
            }
        }
        double[] rerun = new double[kills];
        for (int i = 0; i < kills; i++) {
            rerun[i] = killToRerunMs(app, beat);
            System.out.printf(Locale.ROOT, "kill -9 of a node with 2 running tasks -> both running on another: %.0f ms "
                    + "(MAYFLY_HEARTBEAT=%s, a lease of three beats)%n", rerun[i], beat);
        }
        if (kills > 0) {
            System.out.printf(Locale.ROOT, "median: %.0f ms%n", BenchSupport.median(rerun));
        }
    }

    private record Figures(double tasksPerSecond, double claimP50Ms, double claimP95Ms) {}

    private static void report(String label, Figures figures) {
        row(label, figures.tasksPerSecond(), figures.claimP50Ms(), figures.claimP95Ms());
    }

    private static void row(String label, double perSecond, double p50, double p95) {
        System.out.printf(Locale.ROOT, "%-22s %14.1f %14.1f %14.1f%n", label, perSecond, p50, p95);
    }

    /** The tasks' own processes without Mayfly: {@code true}, 4 at a time. */
    private static double floor(int tasks) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            long start = System.nanoTime();
            List<Future<Integer>> ran = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                ran.add(threads.submit(() -> new ProcessBuilder("true").start().waitFor()));
            }
            for (Future<Integer> one : ran) {
                one.get();
            }
            return tasks / ((System.nanoTime() - start) / 1e9);
        } finally {
            threads.shutdownNow();
        }
    }

    /** Starts the nodes, submits the tasks, waits for them, and reads the figures from the store. */
    private static Figures run(Path app, int count, int tasks, String postgresUrl) throws Exception {
        Path folder = Files.createTempDirectory("mayfly-cluster-");
        List<Node> nodes = new ArrayList<>();
        try {
            for (int i = 1; i <= count; i++) {
                nodes.add(Node.start(app, folder, "node-" + i, postgresUrl, "10s"));
            }
            ExecutorService clients = Executors.newFixedThreadPool(4);
            try {
                List<Future<String>> submitted = new ArrayList<>();
                for (int i = 0; i < tasks; i++) {
                    Node node = nodes.get(i % count);
                    int number = i;
                    submitted.add(clients.submit(() -> node.submit(folder, "Fix typo " + number, "command:true", false)));
                }
                for (Future<String> one : submitted) {
                    one.get();
                }
            } finally {
                clients.shutdownNow();
            }
            try (TaskStore store = postgresUrl == null ? SqliteStore.open(folder.resolve("node-1/workers.db"))
                    : Stores.open(EmbeddedDatabase.location(postgresUrl), Clock.systemUTC())) {
                awaitTrue(Duration.ofMinutes(5), () -> store.findTasks(new TaskFilter(TaskState.COMPLETED, null, tasks + 1))
                        .size() == tasks);
                return figures(store, tasks);
            }
        } finally {
            for (Node node : nodes) {
                node.stop();
            }
        }
    }

    private static Figures figures(TaskStore store, int tasks) {
        List<TaskRecord> all = store.findTasks(new TaskFilter(null, null, tasks + 1));
        double[] waits = new double[all.size()];
        Instant first = Instant.MAX;
        Instant last = Instant.MIN;
        for (int i = 0; i < all.size(); i++) {
            TaskRecord task = all.get(i);
            List<EventRecord> events = store.events(task.id());
            Instant queued = at(events, "task_queued");
            waits[i] = Duration.between(queued, at(events, "task_claimed")).toNanos() / 1e6;
            first = queued.isBefore(first) ? queued : first;
            last = task.finishedAt().isAfter(last) ? task.finishedAt() : last;
        }
        double[] sorted = waits.clone();
        Arrays.sort(sorted);
        return new Figures(all.size() / (Duration.between(first, last).toNanos() / 1e9), BenchSupport.median(waits),
                sorted[(int) Math.floor(sorted.length * 0.95)]);
    }

    private static Instant at(List<EventRecord> events, String type) {
        return events.stream().filter(event -> event.type().equals(type)).findFirst().orElseThrow().at();
    }

    /**
     * Node 1 alone takes two gated worker tasks; nodes 2 and 3 start; node 1 is killed with SIGKILL:
     * the time until both tasks run again on another node.
     */
    private static double killToRerunMs(Path app, String beat) throws Exception {
        Path folder = Files.createTempDirectory("mayfly-cluster-kill-");
        Files.writeString(folder.resolve("gated.py"), "import os, time\nwhile os.path.exists('hold'):\n    time.sleep(0.05)\n");
        Files.writeString(folder.resolve("hold"), "");
        String url = EmbeddedDatabase.newDatabaseUrl();
        List<Node> nodes = new ArrayList<>();
        try (TaskStore store = Stores.open(EmbeddedDatabase.location(url), Clock.systemUTC())) {
            Node first = Node.start(app, folder, "node-1", url, beat);
            nodes.add(first);
            List<String> ids = List.of(first.submit(folder, "Implement one", "command:python3 gated.py", true),
                    first.submit(folder, "Implement two", "command:python3 gated.py", true));
            awaitTrue(Duration.ofMinutes(1), () -> ids.stream().allMatch(id -> state(store, id) == TaskState.RUNNING));
            String lost = store.findTask(ids.get(0)).orElseThrow().supervisorId();
            nodes.add(Node.start(app, folder, "node-2", url, beat));
            nodes.add(Node.start(app, folder, "node-3", url, beat));
            first.process.destroyForcibly().waitFor();
            long killed = System.nanoTime();
            awaitTrue(Duration.ofMinutes(2), () -> ids.stream().allMatch(id -> state(store, id) == TaskState.RUNNING
                    && !store.findTask(id).orElseThrow().supervisorId().equals(lost)));
            return (System.nanoTime() - killed) / 1e6;
        } finally {
            Files.deleteIfExists(folder.resolve("hold"));
            for (Node node : nodes) {
                node.stop();
            }
        }
    }

    private static TaskState state(TaskStore store, String taskId) {
        return store.findTask(taskId).map(TaskRecord::state).orElse(null);
    }

    private static void awaitTrue(Duration atMost, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not done within " + atMost);
            }
            Thread.sleep(20);
        }
    }

    /** One node: a {@code mayfly serve} process with its own home, and where it listens. */
    private record Node(Process process, URI url, String token) {

        static Node start(Path app, Path folder, String name, String postgresUrl, String beat) throws Exception {
            Path home = folder.resolve(name);
            Map<String, String> environment = new HashMap<>();
            environment.put("MAYFLY_HOME", home.toString());
            if (postgresUrl != null) {
                environment.put("MAYFLY_STORE_URL", postgresUrl);
            }
            environment.put("HOSTNAME", name);
            environment.put("MAYFLY_HEARTBEAT", beat);
            environment.put("MAYFLY_MAX_WORKERS", "2");
            environment.put("MAYFLY_HEAP_MB", "64");
            environment.put("MAYFLY_GRACE_PERIOD", "1s");
            environment.put("MAYFLY_RETRIES", "1");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", app.toString(), "serve", "--port", "0").directory(folder.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(folder.resolve(name + ".err").toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("MAYFLY_") || key.equals("USE_WORKERS"));
            builder.environment().putAll(environment);
            Process process = builder.start();
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            Optional<ServerFile> file = ServerFile.read(home);
            while (file.isEmpty() || file.get().pid() != process.pid()) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException(name + " did not start: " + Files.readString(folder.resolve(name + ".err")));
                }
                Thread.sleep(20);
                file = ServerFile.read(home);
            }
            return new Node(process, URI.create(file.get().url()), file.get().token());
        }

        String submit(Path workDir, String prompt, String agent, boolean workers) throws IOException, InterruptedException {
            String body = String.format(Locale.ROOT, "{\"prompt\":\"%s\",\"agent\":\"%s\",\"workers\":%b,\"workDir\":\"%s\"}",
                    prompt, agent, workers, workDir);
            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(url.resolve("/api/v1/tasks"))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher id = TASK_ID.matcher(created.body());
            if (created.statusCode() != 201 || !id.find()) {
                throw new IllegalStateException("not accepted: " + created.statusCode() + " " + created.body());
            }
            return id.group(1);
        }

        void stop() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }

    }
}
