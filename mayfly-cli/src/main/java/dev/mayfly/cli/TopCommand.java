package dev.mayfly.cli;

import dev.mayfly.api.Durations;
import dev.mayfly.client.ServerFile;
import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.errors.UsageException;
import dev.mayfly.json.Json;
import dev.mayfly.memory.HostMemory;
import dev.mayfly.memory.LinuxHostMemory;
import dev.mayfly.orchestrator.ControlClient;
import dev.mayfly.orchestrator.SupervisorLiveness;
import dev.mayfly.routing.Mode;
import dev.mayfly.store.ControlAddress;
import dev.mayfly.store.MemorySampleRecord;
import dev.mayfly.store.Stores;
import dev.mayfly.store.SupervisorRecord;
import dev.mayfly.store.TaskFilter;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.store.TaskStore;
import dev.mayfly.task.TaskState;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code mayfly top}: what runs now in this home, as {@code pm2 monit} shows it. It reads the store
 * (every supervisor of the home writes there: a server, a {@code mayfly run} in another terminal, a
 * batch), so it sees standalone supervisors as well as a server, and needs none running.
 */
final class TopCommand implements Subcommand {

    /** Ended tasks shown below the live ones. */
    private static final int ENDED_SHOWN = 5;
    private static final int BAR_WIDTH = 12;
    private static final String CLEAR = "\033[H\033[2J";
    private static final String DEFAULT_INTERVAL = "2s";

    String interval = DEFAULT_INTERVAL;
    boolean once;
    final CommonOptions common = new CommonOptions();

    @Override
    public CommandSpec spec() {
        return common.addTo(new CommandSpec("mayfly top", this,
                "A live view of this home's tasks: each running task's memory (its whole process tree) against its cap, "
                        + "its processes and heap, the queue, the workers running, and the host's memory.",
                "On a terminal it is drawn again every --interval until Ctrl-C; elsewhere, or with --once, it is printed "
                        + "once.")
                .value("--interval", "DURATION", "How often a terminal's view is drawn again (default: " + DEFAULT_INTERVAL
                        + ").", value -> interval = value)
                .flag("Print the view once and exit, as without a terminal.", () -> once = true, "--once"));
    }

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = common.settings(SettingsReader.Flags.none());
        Duration every = every();
        PrintStream out = System.out;
        if (!Stores.exists(settings.store())) {
            out.println("No tasks yet: there is no store at " + settings.store() + ".");
            return ExitCodes.OK;
        }
        boolean live = !once && System.console() != null;
        HostMemory host = LinuxHostMemory.ofThisProcess();
        try (TaskStore store = Stores.openToRead(settings, common.clock())) {
            do {
                String frame = frame(store, settings, host, common.clock());
                out.print(live ? CLEAR + frame : frame);
                out.flush();
                if (live) {
                    Thread.sleep(every.toMillis());
                }
            } while (live);
        }
        return ExitCodes.OK;
    }

    private Duration every() {
        try {
            Duration every = Durations.parse(interval);
            if (every.toMillis() >= 100) {
                return every;
            }
        } catch (IllegalArgumentException e) {
            // Said below.
        }
        throw UsageException.invalid("--interval", interval, Durations.ACCEPTED + ", of 100ms or more");
    }

    /** One view of the home, now. */
    static String frame(TaskStore store, Settings settings, HostMemory host, Clock clock) {
        String thisHost = SupervisorLiveness.thisHost();
        List<TaskRecord> running = store.findTasks(new TaskFilter(TaskState.RUNNING, null, 1000));
        List<TaskRecord> queued = store.findTasks(new TaskFilter(TaskState.QUEUED, null, 1000));
        long workers = running.stream().filter(task -> task.mode() == Mode.WORKER).count();
        StringBuilder view = new StringBuilder();
        view.append(String.format(Locale.ROOT, "mayfly top · %s · %s%n", settings.home(),
                DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault()).format(clock.instant())));
        long available = host.availableMb();
        long usable = host.usableMb();
        view.append(String.format(Locale.ROOT, "host memory %s %s free of %s · %d running (%d in workers) · %d queued%n",
                bar(usable - available, usable), size(available), size(usable), running.size(), workers, queued.size()));
        Optional<ServerFile> server = ServerFile.read(settings.home()).filter(ServerFile::alive);
        server.ifPresent(file -> view.append("server: pid ").append(file.pid()).append(" at ").append(file.url())
                .append(" (its dashboard shows these tasks too)\n"));
        view.append('\n').append(supervisors(store, server.map(ServerFile::pid), clock)).append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TASK", "STATE", "MODE", "ELAPSED", "MEMORY (TREE / CAP)", "PROCS", "HEAP", "PROMPT"});
        for (TaskRecord task : running) {
            Optional<MemorySampleRecord> now = store.latestMemorySample(task.id());
            Double tree = now.map(MemorySampleRecord::residentMb).orElse(null);
            Double heap = now.map(sample -> sample.sample().heapUsed()).filter(used -> used >= 0).orElse(null);
            rows.add(new String[] {task.id(), SupervisorLiveness.shownState(store, task, thisHost, clock.instant()), task.mode().label(),
                TaskViews.elapsed(task, clock), memory(tree, task.memoryCapMb()),
                now.map(MemorySampleRecord::processes).map(String::valueOf).orElse("-"), TaskViews.megabytes(heap),
                TaskViews.promptStart(task.prompt(), 40)});
        }
        for (TaskRecord task : queued) {
            rows.add(new String[] {task.id(), SupervisorLiveness.shownState(store, task, thisHost, clock.instant()), task.mode().label(),
                "waiting " + TaskViews.seconds(Duration.between(task.createdAt(), clock.instant()).toMillis()), "-", "-", "-",
                TaskViews.promptStart(task.prompt(), 40)});
        }
        if (rows.size() == 1) {
            view.append("Nothing running or queued.\n");
        } else {
            view.append(Table.render(rows));
        }
        List<TaskRecord> ended = store.findTasks(new TaskFilter(null, null, null, 50, 0)).stream()
                .filter(task -> task.state().terminal()).limit(ENDED_SHOWN).toList();
        if (!ended.isEmpty()) {
            List<String[]> endedRows = new ArrayList<>();
            endedRows.add(new String[] {"ENDED LATELY", "HOW", "MODE", "TOOK", "PEAK / CAP", "PROMPT"});
            for (TaskRecord task : ended) {
                endedRows.add(new String[] {task.id(), task.reason() == null ? task.state().label() : task.reason().label(),
                    task.mode().label(), TaskViews.elapsed(task, clock), memory(task.residentPeakMb(), task.memoryCapMb()),
                    TaskViews.promptStart(task.prompt(), 40)});
            }
            view.append('\n').append(Table.render(endedRows));
        }
        return view.toString();
    }

    /**
     * Each supervisor running now (a server, a {@code mayfly run} or {@code batch} in another terminal),
     * with what only it knows, asked of its control endpoint: its worker pool, its queue, its in-process
     * tasks, its own heap and resident memory.
     *
     * @param serverPid the home's server's, to mark it; empty when none runs
     */
    private static String supervisors(TaskStore store, Optional<Long> serverPid, Clock clock) {
        String thisHost = SupervisorLiveness.thisHost();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SUPERVISOR", "PID", "WORKERS", "READY", "FOUND READY", "QUEUED", "IN-PROCESS", "HEAP",
            "RESIDENT"});
        for (SupervisorRecord supervisor : store.unstoppedSupervisors()) {
            if (!SupervisorLiveness.isAlive(supervisor, thisHost, clock.instant())) {
                continue;
            }
            String name = supervisor.id() + (serverPid.filter(pid -> pid == supervisor.pid()).isPresent() ? " (server)" : "");
            rows.add(supervisorRow(store, supervisor, name, thisHost));
        }
        return rows.size() == 1 ? "No supervisor running.\n" : Table.render(rows);
    }

    /**
     * One supervisor's row. One on this host is asked now, at its control endpoint; one on another
     * machine (a node of the same database) cannot be, and shows what it kept with its last heartbeat.
     */
    private static String[] supervisorRow(TaskStore store, SupervisorRecord supervisor, String name, String thisHost) {
        String pid = String.valueOf(supervisor.pid());
        if (!supervisor.host().equals(thisHost)) {
            String elsewhere = name + " on " + supervisor.host() + " (at its last beat)";
            return store.lastFigures(supervisor.id()).map(TopCommand::figures)
                    .map(figures -> row(elsewhere, pid, figures))
                    .orElseGet(() -> unreported(elsewhere, pid, "kept no figures (an earlier Mayfly)"));
        }
        Optional<ControlAddress> control = store.findControl(supervisor.id());
        if (control.isEmpty()) {
            return unreported(name, pid, "no control endpoint (an earlier Mayfly, or not open yet)");
        }
        try {
            return row(name, pid, ControlClient.figures(control.get()));
        } catch (IOException e) {
            return unreported(name, pid, "did not answer: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> figures(String json) {
        return (Map<String, Object>) Json.readOrText(json);
    }

    /** A supervisor's row from its live figures ({@code Orchestrator.liveFigures}). */
    private static String[] row(String name, String pid, Map<String, Object> figures) {
        Map<?, ?> pool = (Map<?, ?>) figures.get("pool");
        return new String[] {name, pid, number(pool.get("active")) + " / " + number(pool.get("size")),
            pool.get("ready") == null ? "-" : String.valueOf(number(pool.get("ready"))), foundReady(pool),
            String.valueOf(number(pool.get("queued"))), String.valueOf(number(figures.get("inProcessRunning"))),
            size(number(figures.get("heapUsedMb"))) + " / " + size(number(figures.get("heapMaxMb"))),
            figures.get("residentMb") == null ? "-" : size(number(figures.get("residentMb")))};
    }

    /** A supervisor's row without its figures: why, in their place. */
    private static String[] unreported(String name, String pid, String why) {
        return new String[] {name, pid, why, "-", "-", "-", "-", "-", "-"};
    }

    /** How many of the tasks given a worker found one ready: {@code 75% of 8}; {@code -} before any. */
    private static String foundReady(Map<?, ?> pool) {
        Object found = pool.get("foundReady");
        Object cold = pool.get("startedCold");
        if (found == null || cold == null || number(found) + number(cold) == 0) {
            return "-";
        }
        long assigned = number(found) + number(cold);
        return String.format(Locale.ROOT, "%.0f%% of %d", 100.0 * number(found) / assigned, assigned);
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    /** The tree's memory against its cap: {@code [###.........] 312 MB / 8.0 GB  4%}. */
    private static String memory(Double megabytes, Integer capMb) {
        if (capMb == null) {
            return "n/a (in-process Java: the supervisor's heap)";
        }
        if (megabytes == null) {
            return "- / " + size(capMb);
        }
        return String.format(Locale.ROOT, "%s %s / %s %3.0f%%", bar(megabytes.longValue(), capMb), size(megabytes.longValue()),
                size(capMb), 100 * megabytes / capMb);
    }

    private static String bar(long used, long of) {
        int filled = of <= 0 ? 0 : (int) Math.min(BAR_WIDTH, Math.round((double) BAR_WIDTH * used / of));
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "]";
    }

    private static String size(long megabytes) {
        return megabytes >= 1024 ? String.format(Locale.ROOT, "%.1f GB", megabytes / 1024.0) : megabytes + " MB";
    }
}
