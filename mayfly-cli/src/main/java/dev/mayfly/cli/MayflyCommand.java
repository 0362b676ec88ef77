package dev.mayfly.cli;

/** The top command, {@code mayfly}: its subcommands, in the order the usage lists them; alone, it shows the usage. */
final class MayflyCommand {

    private MayflyCommand() {}

    static CommandSpec spec() {
        return new CommandSpec("mayfly", null, "Runs long, memory-hungry agent tasks in fresh, heap-capped worker JVMs.")
                .subcommand("run", RunCommand::new)
                .subcommand("batch", BatchCommand::new)
                .subcommand("status", StatusCommand::new)
                .subcommand("logs", LogsCommand::new)
                .subcommand("cancel", CancelCommand::new)
                .subcommand("resume", ResumeCommand::new)
                .subcommand("serve", ServeCommand::new)
                .subcommand("top", TopCommand::new)
                .subcommand("workflows", WorkflowsCommand::new)
                .subcommand("validate", ValidateCommand::new)
                .exitCode("0", "completed (run), all checks passed (validate)")
                .exitCode("1", "the task failed, or a check failed")
                .exitCode("2", "bad input: a flag, an environment variable or a file")
                .exitCode("130", "interrupted (Ctrl-C); 143 on SIGTERM");
    }
}
