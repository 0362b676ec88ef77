package dev.mayfly.api;

/**
 * A unit of work that Mayfly runs, either in-process or in a fresh worker JVM.
 *
 * <p>The same agent must behave the same in both places: Mayfly's router alone decides where it
 * runs. An implementation needs a public no-argument constructor; Mayfly creates one instance per
 * task.
 *
 * <p>An agent that wants to stop early when asked (a timeout, Ctrl-C, a user's cancel) polls
 * {@link TaskContext#cancelled()} at its safe points. One that never does is stopped forcibly
 * after a short grace period.
 */
@FunctionalInterface
public interface Agent {

    /**
     * Runs the task.
     *
     * @param context the task's prompt, parameters, working folder and progress channel
     * @return the result, stored as the task's JSON result: a {@code String}, {@code Number},
     *     {@code Boolean}, {@code Map}, {@code List}, a record or bean, or {@code null}
     * @throws Exception any failure; the task then ends {@code failed} with reason {@code error}
     *     and the exception's message
     */
    Object run(TaskContext context) throws Exception;
}
