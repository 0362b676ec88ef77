package dev.mayfly.agent;

import dev.mayfly.api.TaskContext;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** The {@link TaskContext} an agent sees, wherever it runs. */
public final class RunningTask implements TaskContext {

    /** Where an agent's progress reports go: the store in-process, the channel in a worker. */
    @FunctionalInterface
    public interface ProgressSink {
        void progress(String message, double fraction);
    }

    /** Where an agent's checkpoints go; in a worker, saving one while a rotation is asked for ends the worker. */
    @FunctionalInterface
    public interface CheckpointSink {
        void save(String state, boolean rotate);

        /** For tasks whose checkpoints are not kept. */
        CheckpointSink NONE = (state, rotate) -> { };
    }

    private final String taskId;
    private final String prompt;
    private final Map<String, String> params;
    private final Path workDir;
    private final Path outputDir;
    private final ProgressSink progress;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean rotation = new AtomicBoolean();
    private final String lastCheckpoint;
    private final CheckpointSink checkpoints;

    public RunningTask(String taskId, String prompt, Map<String, String> params, Path workDir, Path outputDir,
            ProgressSink progress) {
        this(taskId, prompt, params, workDir, outputDir, progress, null, CheckpointSink.NONE);
    }

    /**
     * @param lastCheckpoint the state an earlier attempt saved, or null
     * @param checkpoints where new checkpoints go
     */
    public RunningTask(String taskId, String prompt, Map<String, String> params, Path workDir, Path outputDir,
            ProgressSink progress, String lastCheckpoint, CheckpointSink checkpoints) {
        this.taskId = taskId;
        this.prompt = prompt;
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.workDir = workDir;
        this.outputDir = outputDir;
        this.progress = progress;
        this.lastCheckpoint = lastCheckpoint;
        this.checkpoints = checkpoints;
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
        progress.progress(message, fraction);
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
        checkpoints.save(state, rotation.get());
    }

    @Override
    public boolean rotationRequested() {
        return rotation.get();
    }

    /** Asks the agent to move to a fresh worker at its next checkpoint. */
    public void requestRotation() {
        rotation.set(true);
    }
}
