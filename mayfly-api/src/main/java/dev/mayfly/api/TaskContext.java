package dev.mayfly.api;

import java.nio.file.Path;
import java.util.Map;

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
}
