package dev.mayfly.llm.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.mayfly.api.OutputTail;
import dev.mayfly.api.TaskContext;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program in the workspace, without a shell (the model gives the words), with no input, a
 * timeout, and the tail of its output and error streams. Whatever it leaves running is killed when
 * it ends. The worker's secret and the model's API keys are not passed on.
 */
public final class RunCommandTool implements Tool {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final Workspace workspace;
    private final Duration defaultTimeout;
    private final Set<String> hiddenVariables;
    private final TaskContext task;

    /**
     * @param hiddenVariables environment variables the program must not see
     * @param task starts and stops the program as part of the task, and says when the task is asked to
     *     stop (the program is stopped then too)
     */
    public RunCommandTool(Workspace workspace, Duration defaultTimeout, Set<String> hiddenVariables, TaskContext task) {
        this.workspace = workspace;
        this.defaultTimeout = defaultTimeout;
        this.hiddenVariables = hiddenVariables;
        this.task = task;
    }

    @Override
    public ToolSpecification specification() {
        return ToolSpecification.builder()
                .name("run_command")
                .description("Runs a program in the workspace without a shell (no pipes, globs or redirections; run "
                        + "sh -c yourself if you need them) and returns its exit code and the tail of its output. "
                        + "The program gets no input.")
                .parameters(JsonObjectSchema.builder()
                        .addProperty("command", JsonArraySchema.builder()
                                .description("the program and its arguments, one word each, e.g. [\"mvn\", \"-q\", \"test\"]")
                                .items(JsonStringSchema.builder().build())
                                .build())
                        .addStringProperty("cwd", "the folder to run in, relative to the workspace (default .)")
                        .addIntegerProperty("timeout_seconds", "stop the program after this many seconds (default "
                                + defaultTimeout.toSeconds() + ")")
                        .required("command")
                        .build())
                .build();
    }

    @Override
    public String run(ToolArguments arguments, int maxChars) throws ToolException, IOException {
        List<String> command = arguments.strings("command");
        Path folder = workspace.resolve(arguments.string("cwd", "."));
        int timeoutSeconds = arguments.integer("timeout_seconds", (int) defaultTimeout.toSeconds(), 1, 24 * 3600);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().keySet().removeAll(hiddenVariables);
        Process process;
        try {
            process = task.startProgram(builder);
        } catch (IOException e) {
            throw new ToolException("cannot run " + command.get(0) + ": " + e.getMessage());
        }
        OutputTail tail = new OutputTail(Math.max(1024, maxChars - 200));
        Thread copier = tail.readInBackground(process.getInputStream(), null, "mayfly-llm-command-output");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        String stopped = null;
        try {
            while (stopped == null && !process.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                if (task.cancelled()) {
                    stopped = "stopped: the task was asked to stop";
                } else if (System.nanoTime() > deadline) {
                    stopped = "timed out after " + timeoutSeconds + " s and was stopped";
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = "stopped: interrupted";
        } finally {
            // A stopped program gets its grace; one that ended leaves nothing of its tree behind.
            task.stopProgram(process, stopped != null ? STOP_GRACE : Duration.ZERO);
        }
        try {
            copier.join(STOP_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String head = stopped != null ? command.get(0) + " " + stopped : "exit code " + exitCode(process);
        String output = tail.text();
        return head + (output.isEmpty() ? "\n(no output)" : "\n" + output);
    }

    private static int exitCode(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
