package dev.mayfly.cli;

/** The top command, {@code mayfly}: its subcommands, in the order the usage lists them; alone, it shows the usage. */
final class MayflyCommand {

    private MayflyCommand() {}

    static CommandSpec spec() {
        return new CommandSpec("mayfly", null, "Runs long, memory-hungry agent tasks in fresh, heap-capped worker JVMs.")
                .subcommands(MayflyCommand::named, "run", "batch", "status", "logs", "cancel", "resume", "serve", "top",
                        "workflows", "validate")
                .exitCode("0", "completed (run), all checks passed (validate)")
                .exitCode("1", "the task failed, or a check failed")
                .exitCode("2", "bad input: a flag, an environment variable or a file")
                .exitCode("130", "interrupted (Ctrl-C); 143 on SIGTERM");
    }

    /**
     * A new command of that name. One switch rather than a constructor reference for each: a new JVM
     * links every such reference it meets, about half a millisecond each (docs/benchmarks.md).
     */
    private static Subcommand named(String name) {
        return switch (name) {
            case "run" -> new RunCommand();
            case "batch" -> new BatchCommand();
            case "status" -> new StatusCommand();
            case "logs" -> new LogsCommand();
            case "cancel" -> new CancelCommand();
            case "resume" -> new ResumeCommand();
            case "serve" -> new ServeCommand();
            case "top" -> new TopCommand();
            case "workflows" -> new WorkflowsCommand();
            case "validate" -> new ValidateCommand();
            default -> throw new IllegalArgumentException("no command " + name);
        };
    }
}
