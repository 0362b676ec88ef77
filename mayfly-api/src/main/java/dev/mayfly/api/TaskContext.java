package dev.mayfly.api;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

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
}
