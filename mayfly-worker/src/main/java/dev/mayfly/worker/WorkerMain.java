package dev.mayfly.worker;

import dev.mayfly.agent.AgentInvocation;
import dev.mayfly.agent.AgentOutcome;
import dev.mayfly.agent.AgentSpec;
import dev.mayfly.agent.RunningTask;
import dev.mayfly.api.ContextSegment;
import dev.mayfly.process.JobLaunch;
import dev.mayfly.process.ProcFs;
import dev.mayfly.process.ProcessTree;
import dev.mayfly.process.TaskMark;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker JVM: connects to its supervisor, waits for one task, runs it, reports, exits.
 *
 * <p>Three threads: main reads the channel (the task, then cancel requests, then end-of-stream
 * when the supervisor is gone); {@code mayfly-agent} runs the agent; {@code mayfly-memory} sends
 * memory reports. Standard output and error are the task's log (the supervisor copies them
 * there); the channel is a separate socket.
 *
 * <p>Exit codes: 0 after a result was sent; {@link #EXIT_SUPERVISOR_GONE} when the supervisor
 * disappeared; {@link #EXIT_PROTOCOL} on a broken channel. An agent's own {@code System.exit(n)}
 * exits with n, announced by an {@code exiting} message from a shutdown hook. Heap exhaustion
 * exits through {@code -XX:+ExitOnOutOfMemoryError} with code 3, without that message.
 */
public final class WorkerMain {

    public static final int EXIT_SUPERVISOR_GONE = 70;
    public static final int EXIT_PROTOCOL = 71;
    /** The worker ended itself after a checkpoint, so that the task continues in a fresh worker. */
    public static final int EXIT_ROTATED = 72;
    /** The option that says the worker is started before its task is known ({@code --standby yes}). */
    public static final String STANDBY = "--standby";
    /** The longest secret a worker reads from its standard input. */
    static final int MAX_SECRET_LENGTH = 256;

    private final Channel channel;
    /** The worker's one clock, made at its entry point: the agent's time is read on it. */
    private final Clock clock = Clock.systemUTC();
    private final AtomicBoolean resultSent = new AtomicBoolean();
    private volatile RunningTask task;
    private volatile HeapRotation rotation;
    /** What the worker does with its supervisor's messages: one task, then requests to stop or rotate it. */
    private final ChannelMessage.FromSupervisor supervisorSays = new ChannelMessage.FromSupervisor() {
        @Override
        public void task(ChannelMessage.Task message) {
            if (task == null) {
                start(message);
            }
        }

        @Override
        public void cancel(ChannelMessage.Cancel message) {
            if (task != null) {
                task.cancel();
            }
        }

        @Override
        public void rotate(ChannelMessage.Rotate message) {
            if (task != null) {
                task.requestRotation(message.forced());
            }
        }
    };

    /** @param channel to the supervisor; null for a warm-up, which sends nothing */
    WorkerMain(Channel channel) {
        this.channel = channel;
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = options(args);
        String secret = secret();
        if (options.containsKey(STANDBY)) {
            // Started ahead of its task: nobody waits for it yet, so it gets ready for the task now.
            try {
                WorkerWarmUp.full();
            } catch (Exception | LinkageError e) {
                // Only a head start, but one that should not fail: said where the task's log will have it.
                System.err.println("mayfly worker: the warm-up failed, the task's way will be a cold one: " + e);
            }
        } else {
            WorkerWarmUp.light();
        }
        Channel channel = Channel.connect(Integer.parseInt(options.get("--port")));
        new WorkerMain(channel).serve(options.get("--worker-id"), secret);
    }

    /**
     * The secret this worker proves itself with: the first line of its standard input, which the
     * supervisor writes and closes. Not an environment variable: every agent and program in the
     * worker would inherit that, and could print it into its result.
     */
    private static String secret() throws IOException {
        StringBuilder secret = new StringBuilder();
        int read;
        while ((read = System.in.read()) >= 0 && read != '\n' && secret.length() < MAX_SECRET_LENGTH) {
            secret.append((char) read);
        }
        if (secret.length() == 0) {
            System.err.println("usage: WorkerMain --port PORT --worker-id ID, with its secret on standard input (started "
                    + "by a Mayfly supervisor)");
            System.exit(EXIT_PROTOCOL);
        }
        return secret.toString();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        if (!options.containsKey("--port") || !options.containsKey("--worker-id")) {
            System.err.println("usage: WorkerMain --port PORT --worker-id ID, with its secret on standard input (started "
                    + "by a Mayfly supervisor)");
            System.exit(EXIT_PROTOCOL);
        }
        return options;
    }

    private void serve(String workerId, String secret) {
        try {
            channel.send(new ChannelMessage.Hello(workerId, secret));
            Runtime.getRuntime().addShutdownHook(new Thread(this::announceExit, "mayfly-exit"));
            ChannelMessage message;
            while ((message = channel.receive()) != null) {
                if (message instanceof ChannelMessage.SupervisorMessage) {
                    ((ChannelMessage.SupervisorMessage) message).handleWith(supervisorSays);
                }
            }
            supervisorGone();
        } catch (IOException | RuntimeException e) {
            if (resultSent.get()) {
                return;
            }
            System.err.println("mayfly worker: channel failed: " + e);
            supervisorGone();
        }
    }

    /** The supervisor is gone (end-of-stream): nobody will read a result, so stop everything now. */
    private void supervisorGone() {
        if (resultSent.get()) {
            return;
        }
        RunningTask running = task;
        if (running != null) {
            running.cancel();
        }
        System.err.println("mayfly worker: supervisor gone, stopping the task and exiting");
        new ProcessTree(ProcessHandle.current()).refresh().alive().stream()
                .filter(handle -> handle.pid() != ProcessHandle.current().pid())
                .forEach(ProcessHandle::destroyForcibly);
        // And what left the tree (setsid, a double fork) but carries the task's mark.
        Optional.ofNullable(running).flatMap(RunningTask::mark).or(TaskMark::ofThisProcess)
                .ifPresent(mark -> mark.endAll(ProcFs.system(), Duration.ZERO));
        Runtime.getRuntime().halt(EXIT_SUPERVISOR_GONE);
    }

    private void start(ChannelMessage.Task message) {
        TaskStart prepared = prepare(message);
        task = prepared.running();
        rotation = prepared.rotation();
        prepared.agent().start();
        prepared.reporter().start();
    }

    /** What a task's start makes, before any of it runs: its context, its memory reports, its agent's thread. */
    record TaskStart(RunningTask running, MemoryReporter reporter, HeapRotation rotation, Thread agent) {}

    /** Makes what the task needs to start, starting nothing (a ready worker's warm-up makes it for a made-up task). */
    TaskStart prepare(ChannelMessage.Task message) {
        RunningTask running = new RunningTask(message.taskId(), message.prompt(), message.params(), message.workDir(),
                message.outputDir(), new ChannelReports(), message.checkpoint(), new JobLaunch(message.environment(), List.of()),
                message.stream());
        AgentSpec spec = message.agent();
        MemoryReporter reporter = new MemoryReporter(channel, message.reportIntervalMs(), message.warnPercent());
        HeapRotation heapRotation = new HeapRotation(running, reporter.monitor(), message.rotatePercent());
        if (spec.kind() != AgentSpec.Kind.COMMAND) {
            // A command's memory is its own process tree's, not this JVM's heap: its supervisor decides (ROTATE).
            reporter.monitor().onLiveHeap(heapRotation::afterCollection);
        }
        Thread agent = new Thread(() -> runAgent(spec, running, reporter), "mayfly-agent");
        return new TaskStart(running, reporter, heapRotation, agent);
    }

    private void runAgent(AgentSpec spec, RunningTask running, MemoryReporter reporter) {
        OutputStream log = new FileOutputStream(FileDescriptor.out);
        AgentOutcome outcome = AgentInvocation.run(spec, running, log, clock);
        reporter.stop();
        if (outcome.rotated()) {
            endRotated(new ChannelMessage.Rotated(null));
        }
        MemoryMonitor monitor = reporter.monitor();
        monitor.recordNow();
        try {
            System.out.flush();
            System.err.flush();
            channel.send(new ChannelMessage.Result(outcome, monitor.heapPeakMb(), monitor.rssPeakMb()));
            resultSent.set(true);
            channel.close();
        } catch (IOException e) {
            System.err.println("mayfly worker: could not send the result: " + e);
        }
        System.exit(0);
    }

    /**
     * Sends the agent's checkpoint; when a rotation is asked for, ends the worker right after it,
     * so that all of its memory goes back and the task continues in a fresh worker from this state.
     */
    private void saveCheckpoint(String state) {
        try {
            channel.send(new ChannelMessage.Checkpoint(state));
            if (!rotation.dueAtCheckpoint()) {
                return;
            }
        } catch (IOException e) {
            System.err.println("mayfly worker: could not send a checkpoint: " + e);
            return;
        }
        endRotated(new ChannelMessage.Rotated(rotation.livePercentAtRotation()));
    }

    /** Says the task goes on in a fresh worker, and ends this one, giving all of its memory back. */
    private void endRotated(ChannelMessage.Rotated why) {
        try {
            channel.send(why);
            resultSent.set(true);
            System.out.flush();
            System.err.flush();
            channel.close();
        } catch (IOException e) {
            System.err.println("mayfly worker: could not say that the task rotated: " + e);
        }
        // halt, not exit: an agent's thread may be mid-task, and no shutdown hook has anything to add.
        Runtime.getRuntime().halt(EXIT_ROTATED);
    }

    /** What the agent reports, sent to the supervisor, which stores it. */
    private final class ChannelReports implements RunningTask.Reports {

        @Override
        public void progress(String message, double fraction) {
            send(new ChannelMessage.Progress(message, fraction));
        }

        @Override
        public void checkpoint(String state) {
            saveCheckpoint(state);
        }

        @Override
        public void event(String type, Map<String, ?> data) {
            send(new ChannelMessage.Event(type, new LinkedHashMap<>(data)));
        }

        @Override
        public void contextSegment(ContextSegment segment) {
            send(new ChannelMessage.ContextPiece(segment));
        }

        private void send(ChannelMessage.WorkerMessage message) {
            try {
                channel.send(message);
            } catch (IOException e) {
                // The read loop sees the broken channel and ends the worker.
            }
        }
    }

    /** Runs on System.exit: tells the supervisor that the agent ended the JVM before its result. */
    private void announceExit() {
        if (task == null || resultSent.get()) {
            return;
        }
        try {
            channel.send(new ChannelMessage.Exiting());
        } catch (IOException e) {
            // The supervisor still sees the exit code; only the cause is less certain.
        }
    }
}
