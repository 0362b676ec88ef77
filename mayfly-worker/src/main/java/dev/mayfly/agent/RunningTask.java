package dev.mayfly.agent;

import dev.mayfly.api.ContextSegment;
import dev.mayfly.api.TaskContext;
import dev.mayfly.process.JobLaunch;
import dev.mayfly.process.ProcessTree;
import dev.mayfly.process.TaskMark;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/** The {@link TaskContext} an agent sees, wherever it runs. */
public final class RunningTask implements TaskContext {

    /** The file in the task's folder that holds a streamed command's standard output. */
    public static final String STREAM_FILE = "stdout.txt";


    /**
     * Where what an agent reports goes: the store in-process, the channel in a worker. Only
     * progress is required; checkpoints, events and context segments are dropped unless kept.
     */
    @FunctionalInterface
    public interface Reports {
        void progress(String message, double fraction);

        /** In a worker, saving a checkpoint when the heap calls for a rotation ends the worker. */
        default void checkpoint(String state) { }

        default void event(String type, Map<String, ?> data) { }

        default void contextSegment(ContextSegment segment) { }
    }

    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final String taskId;
    private final String prompt;
    private final Map<String, String> params;
    private final Path workDir;
    private final Path outputDir;
    private final Reports reports;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean rotation = new AtomicBoolean();
    private volatile boolean rotationForced;
    private final String lastCheckpoint;
    private final JobLaunch launch;
    private final boolean streamed;

    public RunningTask(String taskId, String prompt, Map<String, String> params, Path workDir, Path outputDir,
            Reports reports) {
        this(taskId, prompt, params, workDir, outputDir, reports, null, JobLaunch.INHERIT);
    }

    /**
     * @param lastCheckpoint the state an earlier attempt saved, or null
     * @param launch how the programs an agent starts are started: in-process, the task's mark and
     *     limits; in a worker, {@link JobLaunch#INHERIT} (the worker JVM has them already)
     */
    public RunningTask(String taskId, String prompt, Map<String, String> params, Path workDir, Path outputDir,
            Reports reports, String lastCheckpoint, JobLaunch launch) {
        this(taskId, prompt, params, workDir, outputDir, reports, lastCheckpoint, launch, false);
    }

    /** @param streamed whether a command agent's standard output is also copied to {@link #streamFile} */
    public RunningTask(String taskId, String prompt, Map<String, String> params, Path workDir, Path outputDir,
            Reports reports, String lastCheckpoint, JobLaunch launch, boolean streamed) {
        this.taskId = taskId;
        this.prompt = prompt;
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.workDir = workDir;
        this.outputDir = outputDir;
        this.reports = reports;
        this.lastCheckpoint = lastCheckpoint;
        this.launch = launch;
        this.streamed = streamed;
    }

    /**
     * Where a command agent's standard output is copied as it comes ({@code mayfly run --stream}
     * follows it), or null when the task is not streamed.
     */
    public Path streamFile() {
        return streamed ? outputDir.resolve(STREAM_FILE) : null;
    }

    /** How the programs this task's agent starts are to be started. */
    public JobLaunch launch() {
        return launch;
    }

    /** The mark the task's programs carry, when they are given one (not when they inherit this process's). */
    public Optional<TaskMark> mark() {
        return TaskMark.in(launch.environment());
    }

    @Override
    public String taskId() {
        return taskId;
    }

    @Override
    public String prompt() {
        return prompt;
    }

    @Override
    public Map<String, String> params() {
        return params;
    }

    @Override
    public Path workDir() {
        return workDir;
    }

    @Override
    public Path outputDir() {
        return outputDir;
    }

    @Override
    public void progress(String message, double fraction) {
        reports.progress(message, fraction);
    }

    @Override
    public boolean cancelled() {
        return cancelled.get();
    }

    /** Asks the agent to stop; it sees {@link #cancelled()} turn true. */
    public void cancel() {
        cancelled.set(true);
    }

    @Override
    public Optional<String> lastCheckpoint() {
        return Optional.ofNullable(lastCheckpoint);
    }

    @Override
    public void checkpoint(String state) {
        if (state == null) {
            throw new IllegalArgumentException("a checkpoint needs a state; got null");
        }
        reports.checkpoint(state);
    }

    @Override
    public void event(String type, Map<String, ?> data) {
        if (type == null || !EVENT_TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("event type '" + type
                    + "' is not accepted; use lower-case letters, digits and underscores, starting with a letter");
        }
        reports.event(type, data == null ? Map.of() : data);
    }

    @Override
    public void contextSegment(ContextSegment segment) {
        reports.contextSegment(segment);
    }

    @Override
    public boolean rotationRequested() {
        return rotation.get();
    }

    /** Asks the agent to move to a fresh worker at its next checkpoint. */
    public void requestRotation() {
        rotation.set(true);
    }

    /**
     * Asks a command agent to stop so that its session continues in a fresh process: once it runs
     * no child process, or at once when {@code forced} (its memory is near its cap).
     */
    public void requestRotation(boolean forced) {
        rotationForced = rotationForced || forced;
        rotation.set(true);
    }

    /** Whether a requested rotation may cut off the agent's running tools. */
    public boolean rotationForced() {
        return rotationForced;
    }

    /** Starts the program with the task's mark and limits (in-process; a worker's children inherit them). */
    @Override
    public Process startProgram(ProcessBuilder program) throws IOException {
        return launch.applyTo(program).start();
    }

    /**
     * Ends the program's tree as a command agent's is ended. What it detached before (re-parented
     * to init) is no longer in its tree; it carries the task's mark and ends with the task.
     */
    @Override
    public boolean stopProgram(Process program, Duration grace) {
        return new ProcessTree(program.toHandle()).stop(grace);
    }
}
