package dev.mayfly.cli;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.agent.RunningTask;
import dev.mayfly.client.MayflyClient;
import dev.mayfly.client.TaskSubmission;
import dev.mayfly.config.AgentChooser;
import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.errors.MayflyException;
import dev.mayfly.errors.UsageException;
import dev.mayfly.json.Json;
import dev.mayfly.log.FileFollower;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.routing.Complexity;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.Prompts;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskOutcome;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.workflow.RunOutcome;
import dev.mayfly.workflow.RunRequest;
import dev.mayfly.workflow.Workflow;
import dev.mayfly.workflow.WorkflowCatalog;
import dev.mayfly.workflow.WorkflowRouter;
import dev.mayfly.workflow.WorkflowRunner;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/** {@code mayfly run}: one task, routed to a worker JVM or run in-process. */
final class RunCommand implements Subcommand {

    String promptText;
    Path promptFile;
    /** The prompt, from whichever of --prompt, --prompt - and --prompt-file was given. */
    private String prompt;
    String agent;
    String resumeWith;
    String workflow;
    String classpath;
    String complexity;
    Boolean workers;
    final LimitOptions limits = new LimitOptions();
    final List<String> params = new ArrayList<>();
    Path workDir;
    boolean json;
    boolean stream;
    boolean detach;
    final CommonOptions common = new CommonOptions();
    final ServerOptions server = new ServerOptions();
    final List<String> command = new ArrayList<>();

    @Override
    public CommandSpec spec() {
        CommandSpec spec = new CommandSpec("mayfly run", this,
                "Runs one task. With workers on (USE_WORKERS=true or --workers), a long-running task goes to a fresh "
                        + "worker JVM with its own heap cap; a short one runs in-process.",
                "The agent is --agent, or a command after --, or MAYFLY_AGENT.")
                .parameters("PROGRAM ARGS", "After --: a command to run as the agent, without a shell; it gets the prompt "
                        + "on standard input, and in MAYFLY_PROMPT up to 64 KB (a longer one is in the file "
                        + "MAYFLY_PROMPT_FILE names).", 0, Integer.MAX_VALUE, command::add)
                .value("--prompt", "TEXT", "What the task is to do; - reads it from standard input.",
                        value -> promptText = value)
                .value("--prompt-file", "FILE", "Read the prompt from this UTF-8 file.", value -> promptFile = Path.of(value))
                .value("--agent", "SPEC", "java:CLASS, command:PROGRAM ARGS, or a built-in agent (analyze, llm, probe). "
                        + "Default: MAYFLY_AGENT; else analyze for prompts that ask for a codebase analysis.",
                        value -> agent = value)
                .value("--resume-with", "HOW", "How a command agent continues its own session when it is run again (after "
                        + "a crash or running out of memory, with --retries): a preset (claude-code, codex, aider) or the "
                        + "command line that continues it, e.g. 'claude -p --continue'. Default: MAYFLY_RESUME_WITH for "
                        + "MAYFLY_AGENT's agent.", value -> resumeWith = value)
                .value("--workflow", "NAME|FILE", "Run this workflow (a name from 'mayfly workflows', or a YAML file) "
                        + "instead of letting the prompt pick one by its triggers.", value -> workflow = value)
                .value("--classpath", "PATHS", "Where a java: agent's classes are, separated by ':' (MAYFLY_CLASSPATH).",
                        value -> classpath = value)
                .value("--complexity", "C", "low (0.3), medium (0.5), high (0.8) or a number from 0 to 1; default 0.5.",
                        value -> complexity = value)
                .negatable("--workers", "Turn workers on (or, with --no-workers, off) for this call, whatever USE_WORKERS "
                        + "says.", value -> workers = value);
        limits.addTo(spec)
                .repeatable("--param", "KEY=VALUE", "A parameter for the agent; repeatable.", params::add)
                .value("--workdir", "DIR", "The folder the agent works in (default: the current folder).",
                        value -> workDir = Path.of(value))
                .flag("Print the outcome as one JSON object.", () -> json = true, "--json")
                .flag("Copy the command's standard output to Mayfly's as it comes (it still goes to the task's log). "
                        + "Mayfly's own lines stay on standard error, so '> answer.md' keeps the command's output alone.",
                        () -> stream = true, "--stream")
                .flag("With a server: return as soon as the task is stored queued, printing its id, instead of following "
                        + "it to its end.", () -> detach = true, "--detach");
        return server.addTo(common.addTo(spec));
    }

    /** Why the agent was chosen, when Mayfly chose it; printed once the log is open. */
    private String agentChoice;

    @Override
    public Integer call() throws InterruptedException {
        // Everything the user gave is checked before anything is opened or written.
        prompt = prompt();
        Settings settings = common.settings(limits.addTo(SettingsReader.Flags.none().workers(workers).classpath(classpath)));
        if (stream && json) {
            throw new UsageException("give --stream or --json, not both: each one is Mayfly's standard output");
        }
        WorkflowChoice chosen = workflowChoice(settings);
        if (chosen != null && stream) {
            throw new UsageException("--stream copies one command's output, and " + chosen.workflow().name()
                    + " is a workflow of steps; give the command after --");
        }
        TaskRequest request = chosen == null ? request(settings) : null;
        if (chosen != null) {
            WorkflowRunner.checkDefaultAgent(chosen.workflow(), settings);
        }
        Optional<MayflyClient> client = server.client(settings, System.getenv());
        if (detach && client.isEmpty()) {
            throw new UsageException("--detach leaves the work to a server, and none runs for " + settings.home()
                    + ": start one with 'mayfly serve', or give --server URL");
        }
        if (client.isPresent()) {
            if (stream) {
                throw new UsageException("--stream copies the command's output as this process runs it; the server at "
                        + client.get().url() + " runs it elsewhere: give --server none to run it here");
            }
            RemoteRun remote = new RemoteRun(client.get(), System.out, System.err);
            return chosen != null ? remote.workflow(runFields(chosen), json, detach)
                    : remote.task(submission(request), json, detach);
        }
        return chosen != null ? runWorkflow(settings, chosen) : runTask(settings, request);
    }

    /** The task in a supervisor of this process's own: a worker JVM, or in-process. */
    private int runTask(Settings settings, TaskRequest request) throws InterruptedException {
        if (stream) {
            if (request.agent().kind() != AgentSpec.Kind.COMMAND) {
                throw new UsageException("--stream copies a command's standard output, and the agent "
                        + request.agent().describe() + " is not a command; give one after --, or --agent command:PROGRAM");
            }
            request = request.streamed();
        }
        // Streamed, standard output is the command's alone: Mayfly's summary goes with its other lines.
        PrintStream out = stream ? System.err : System.out;
        OrchestratorLog log = common.log(settings, System.err);
        Orchestrator orchestrator = Orchestrator.start(settings, log, common.clock());
        if (agentChoice != null) {
            log.info(OrchestratorLog.ENTRY, agentChoice);
        }
        // On Ctrl-C, after closing, the hook waits for the main thread to say how the task ended.
        CountDownLatch told = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            orchestrator.close();
            ShutdownWait.forMainThread(told);
        }, "mayfly-cleanup"));
        try {
            TaskResult result;
            try {
                result = stream ? runStreamed(orchestrator, request, settings.runsDir()) : orchestrator.run(request);
            } finally {
                orchestrator.close();
            }
            print(out, result, settings.runsDir());
            if (result.unrecorded() != null) {
                System.err.println("mayfly: " + result.unrecorded() + "; the store " + settings.store()
                        + " holds it as running until the next start settles it");
                return ExitCodes.FAILED;
            }
            return exitCode(result.outcome());
        } finally {
            told.countDown();
        }
    }

    /** Runs the task while its stream file is copied to standard output, to the last byte. */
    private static TaskResult runStreamed(Orchestrator orchestrator, TaskRequest request, Path runsDir)
            throws InterruptedException {
        // The file descriptor itself: System.out may be routed to an in-process task's log.
        OutputStream standardOutput = new FileOutputStream(FileDescriptor.out);
        AtomicReference<Path> streamFile = new AtomicReference<>();
        AtomicReference<FileFollower> follower = new AtomicReference<>();
        try {
            return orchestrator.submit(request, null, null, taskId -> {
                streamFile.set(runsDir.resolve(taskId).resolve(RunningTask.STREAM_FILE));
                follower.set(FileFollower.start(streamFile.get(), standardOutput));
            }).get();
        } catch (ExecutionException e) {
            throw new MayflyException("task failed in Mayfly itself: " + e.getCause(), e.getCause());
        } finally {
            if (follower.get() != null) {
                try {
                    follower.get().close();
                    // It only carried the output here; the task's log keeps it, within its cap.
                    Files.deleteIfExists(streamFile.get());
                } catch (IOException e) {
                    System.err.println("mayfly: could not copy all of the command's output: " + e.getMessage());
                }
            }
        }
    }

    private String prompt() {
        if (promptText != null && promptFile != null) {
            throw new UsageException("give --prompt or --prompt-file, not both");
        }
        if (promptFile != null) {
            return Prompts.fromFile("--prompt-file", promptFile);
        }
        if (promptText == null) {
            throw new UsageException("give the task's prompt: --prompt TEXT, --prompt - (read from standard input) "
                    + "or --prompt-file FILE");
        }
        return promptText.equals("-") ? Prompts.fromInput("--prompt -", System.in) : Prompts.checked("--prompt", promptText);
    }

    /** A workflow and why it was picked. */
    private record WorkflowChoice(Workflow workflow, String why) {}

    /**
     * The workflow to run: the one named by --workflow, else (when no agent is named for the task)
     * the one whose triggers match the prompt, else none (a single task).
     */
    private WorkflowChoice workflowChoice(Settings settings) {
        if (workflow != null) {
            if (agent != null || !command.isEmpty()) {
                throw new UsageException("give --workflow or an agent (--agent, or a command after --), not both");
            }
            return new WorkflowChoice(new WorkflowCatalog(settings).find("--workflow", workflow), "Workflow: " + workflow + " (--workflow)");
        }
        if (agent != null || !command.isEmpty()) {
            return null;
        }
        WorkflowRouter.Decision decision = WorkflowRouter.route(prompt, new WorkflowCatalog(settings).load().checked().values());
        return decision.choice() == null ? null : new WorkflowChoice(decision.choice().workflow(), decision.explanation());
    }

    /**
     * The run as the server is to start it: the workflow chosen here, by its name, or its text when
     * --workflow named a file (the server's folder is not this one).
     */
    private Map<String, Object> runFields(WorkflowChoice chosen) {
        Map<String, Object> fields = new LinkedHashMap<>();
        Path file = workflow == null ? null : Path.of(workflow);
        if (file != null && Files.isRegularFile(file)) {
            try {
                fields.put("yaml", Files.readString(file));
            } catch (IOException e) {
                throw UsageException.invalid("--workflow", workflow, "a workflow's name, or a YAML file you may read");
            }
        } else {
            fields.put("workflow", chosen.workflow().name());
        }
        fields.put("prompt", prompt);
        fields.put("params", params());
        if (complexity != null) {
            fields.put("complexity", complexity);
        }
        if (workers != null) {
            fields.put("workers", workers);
        }
        fields.put("workDir", CommonOptions.workDir(workDir).toString());
        return fields;
    }

    private int runWorkflow(Settings settings, WorkflowChoice chosen) throws InterruptedException {
        RunRequest runRequest = new RunRequest(prompt, params(),
                complexity == null ? null : Complexity.parse("--complexity", complexity), workers, CommonOptions.workDir(workDir));
        OrchestratorLog log = common.log(settings, System.err);
        Orchestrator orchestrator = Orchestrator.start(settings, log, common.clock());
        log.info(OrchestratorLog.ENTRY, chosen.why());
        CountDownLatch recorded = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> WorkflowRuns.shutDown(orchestrator, recorded), "mayfly-cleanup"));
        WorkflowRuns.Ended ended;
        try {
            RunOutcome outcome = new WorkflowRunner(orchestrator, orchestrator.store().runs(), log, common.clock())
                    .start(chosen.workflow(), runRequest);
            ended = WorkflowRuns.Ended.of(outcome, orchestrator.store());
            WorkflowRuns.print(System.out, ended, json);
        } finally {
            recorded.countDown();
            orchestrator.close();
        }
        return WorkflowRuns.exitCode(ended);
    }

    private TaskRequest request(Settings settings) {
        double parsedComplexity = Complexity.parse("--complexity", complexity);
        AgentChooser.Choice choice = AgentChooser.choose("--agent", agent, command, prompt, settings, "--resume-with",
                resumeWith);
        agentChoice = choice.note();
        Map<String, String> params = params();
        AgentChooser.checkSettings(choice.spec(), params, settings);
        return TaskRequest.builder(prompt, choice.spec()).params(params).complexity(parsedComplexity)
                .workDir(CommonOptions.workDir(workDir)).limits(TaskLimits.of(settings)).build();
    }

    /**
     * The task as the server is to run it: the agent as chosen here; the server's own settings, but
     * for what this command's flags say.
     */
    private TaskSubmission submission(TaskRequest request) {
        TaskSubmission.Builder task = TaskSubmission.builder(request.prompt()).params(request.params())
                .workDir(request.workDir());
        AgentSpec agentSpec = request.agent();
        switch (agentSpec.kind()) {
            case COMMAND -> task.command(agentSpec.commandLine());
            // The server finds a Java agent's classes on its own MAYFLY_CLASSPATH.
            case JAVA -> task.agent("java:" + agentSpec.target());
            case BUILTIN -> task.agent(agentSpec.target());
        }
        String resume = resumeWith != null ? resumeWith : System.getenv("MAYFLY_RESUME_WITH");
        if (agentSpec.resume() != null && resume != null) {
            task.resume(resume);
        }
        if (complexity != null) {
            task.complexity(complexity);
        }
        if (workers != null) {
            task.workers(workers);
        }
        task.fields(limits.given(request.limits()));
        return task.build();
    }

    private Map<String, String> params() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String param : params) {
            int equals = param.indexOf('=');
            if (equals <= 0) {
                throw UsageException.invalid("--param", param, "KEY=VALUE with a non-empty KEY");
            }
            map.put(param.substring(0, equals), param.substring(equals + 1));
        }
        return map;
    }

    private void print(PrintStream out, TaskResult result, Path folder) {
        TaskOutcome outcome = result.outcome();
        if (json) {
            out.println(Json.write(ResultJson.of(result)));
        } else {
            new TaskEnd(result.taskId(), outcome.verdict(), result.routing().mode().label(), outcome.executionTimeMs(),
                    MemoryFigures.of(outcome), outcome.error(), stream ? null : outcome.resultJson(),
                    folder.resolve(result.taskId()).toString()).print(out);
        }
        out.flush();
    }

    static int exitCode(TaskOutcome outcome) {
        return ExitCodes.ofTask(outcome.succeeded(), outcome.reason() == FailureReason.INTERRUPTED);
    }
}
