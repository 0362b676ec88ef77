package dev.mayfly.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the first process of a task is started: the variables it gets (the task's mark, a Node heap
 * limit) and a command prefix that places it before it runs (into the task's cgroup), so that
 * everything it starts inherits both.
 *
 * @param environment variables to set in the process's environment
 * @param commandPrefix words to run the command under, or none
 */
public record JobLaunch(Map<String, String> environment, List<String> commandPrefix) {

    /** Nothing to add: the process inherits what its parent has (a worker's agent does). */
    public static final JobLaunch INHERIT = new JobLaunch(Map.of(), List.of());

    public JobLaunch {
        environment = Map.copyOf(environment);
        commandPrefix = List.copyOf(commandPrefix);
    }

    /** The command line to start: the prefix, then the command. */
    public List<String> command(List<String> command) {
        List<String> line = new ArrayList<>(commandPrefix);
        line.addAll(command);
        return line;
    }

    /** A process builder for {@code command}, with the prefix and the variables. */
    public ProcessBuilder builder(List<String> command) {
        return applyTo(new ProcessBuilder(command));
    }

    /**
     * Names the variables the {@code mayfly} launcher set for the supervisor alone, that a task's
     * processes do not get (the C library's pool count, {@code MALLOC_ARENA_MAX}).
     */
    private static final String SUPERVISOR_ONLY = "MAYFLY_SUPERVISOR_ONLY";

    /**
     * Puts the prefix before the builder's command and sets its environment: the variables, and
     * without what was set for the supervisor alone.
     */
    public ProcessBuilder applyTo(ProcessBuilder builder) {
        builder.command(command(builder.command()));
        Map<String, String> variables = builder.environment();
        String supervisorOnly = variables.remove(SUPERVISOR_ONLY);
        if (supervisorOnly != null) {
            variables.keySet().removeAll(List.of(supervisorOnly.split(",")));
        }
        variables.putAll(environment);
        return builder;
    }
}
