package dev.mayfly.cli;

import picocli.CommandLine.Command;

/** The top command; the work is in its subcommands. */
@Command(name = "mayfly",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Runs long, memory-hungry agent tasks in fresh, heap-capped worker JVMs.",
        subcommands = {RunCommand.class, BatchCommand.class, StatusCommand.class, LogsCommand.class, CancelCommand.class,
            ResumeCommand.class, ServeCommand.class, TopCommand.class,
            WorkflowsCommand.class, ValidateCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:completed (run), all checks passed (validate)",
            "1:the task failed, or a check failed",
            "2:bad input: a flag, an environment variable or a file",
            "130:interrupted (Ctrl-C); 143 on SIGTERM"})
final class MayflyCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
