package dev.mayfly.api;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What an {@link Agent} knows about its task and how it talks back while it runs.
 *
 * <p>New capabilities are added as default methods, so agents compiled against an earlier version
 * keep working.
 */
public interface TaskContext {

    /** The task's id, as shown by {@code mayfly status}. */
    String taskId();

    /** The user's prompt. */
    String prompt();

    /** The task's parameters ({@code --param key=value}); never null, possibly empty. */
    Map<String, String> params();

    /** The folder the task works in; it exists when the agent starts. */
    Path workDir();

    /**
     * The task's own folder ({@code $MAYFLY_HOME/runs/<taskId>/}) for its reports and artifacts;
     * it exists when the agent starts, and {@code mayfly status} shows what is in it.
     */
    Path outputDir();

    /**
     * Reports progress; recorded as an event of the task.
     *
     * @param message what the agent is doing now
     * @param fraction how much is done, from 0 to 1, or a negative number when unknown
     */
    void progress(String message, double fraction);

    /** True once Mayfly has asked the task to stop; the agent should return or throw soon. */
    boolean cancelled();

    /**
     * The state the agent saved last with {@link #checkpoint}, when this run of the task continues
     * an earlier one (a rotation, or a worker that was killed); empty on a fresh start.
     */
    default Optional<String> lastCheckpoint() {
        return Optional.empty();
    }

    /**
     * Saves the agent's state, so that the task can continue from here in a fresh worker. Call it
     * at safe points (after each step of work), with everything needed to go on.
     *
     * <p>When the worker's live heap has grown past the rotation threshold (heard after a garbage
     * collection, which {@link #rotationRequested()} then reports, or found by this call itself),
     * this call saves the state and does not return: the worker ends, all of its memory goes back,
     * and a fresh worker runs the agent again with this state as {@link #lastCheckpoint()}. An
     * agent that never calls it keeps the plain behaviour.
     *
     * @param state the agent's state, as text (JSON, say)
     */
    default void checkpoint(String state) {
        // Agents running where checkpoints are not kept just carry on.
    }

    /** True once Mayfly wants the task to move to a fresh worker at its next {@link #checkpoint}. */
    default boolean rotationRequested() {
        return false;
    }

    /**
     * Records an event of the task (a model call, a tool call), stored with the task's events and
     * shown by {@code mayfly status ID}.
     *
     * @param type a lower-case name: letters, digits and underscores, starting with a letter
     * @param data the event's details: strings, numbers, booleans, lists and maps of them
     */
    default void event(String type, Map<String, ?> data) {
        // Agents running where events are not kept just carry on.
    }

    /**
     * Saves a piece of the agent's working context in the store; see {@link ContextSegment}.
     * Where nothing is kept, it is dropped.
     */
    default void contextSegment(ContextSegment segment) {
        // Agents running where context is not kept just carry on.
    }

    /**
     * Starts a program for the task: a tool the agent runs (a build, the tests, a script). In a
     * worker, the program and every process it starts belong to the worker's job: their memory
     * counts toward the task's cap, and when the task ends Mayfly ends those still running, detached
     * ones too. In-process, a Java agent shares the supervisor's JVM and its task has no job of its
     * own: the program is started as it is anywhere else, and {@link #stopProgram} is what ends it.
     */
    default Process startProgram(ProcessBuilder program) throws IOException {
        return program.start();
    }

    /**
     * Ends a program started with {@link #startProgram} and the processes it started, as Mayfly ends
     * a task's programs: a polite request (SIGTERM) to each, up to {@code grace} for them to go, then
     * SIGKILL. Returns when they are gone, or after a short wait for those that will not go.
     *
     * @return true when nothing of the program is left running
     */
    default boolean stopProgram(Process program, Duration grace) {
        List<ProcessHandle> processes = new ArrayList<>();
        processes.add(program.toHandle());
        program.descendants().forEach(processes::add);
        processes.forEach(ProcessHandle::destroy);
        awaitExit(processes, grace);
        processes.forEach(ProcessHandle::destroyForcibly);
        awaitExit(processes, Duration.ofSeconds(2));
        return processes.stream().noneMatch(ProcessHandle::isAlive);
    }

    private static void awaitExit(List<ProcessHandle> processes, Duration limit) {
        CompletableFuture<?>[] exits = processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Whoever is still there gets the next, harder step.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
