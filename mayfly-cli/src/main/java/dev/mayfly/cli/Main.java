package dev.mayfly.cli;

import dev.mayfly.errors.UsageException;
import dev.mayfly.log.OrchestratorLog;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/** {@code mayfly}: the command-line entry point. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status (tests call this directly). */
    public static int execute(String... args) {
        OrchestratorLog.chooseLogback();
        return commandLine(args).execute(args);
    }

    /** The command line for these arguments: the top command with the subcommand they name, or with all. */
    static CommandLine commandLine(String... args) {
        CommandLine commandLine = new CommandLine(new MayflyCommand());
        Optional<Class<?>> named = args.length == 0 ? Optional.empty() : MayflyCommand.subcommand(args[0]);
        for (Class<?> subcommand : named.map(List::<Class<?>>of).orElse(MayflyCommand.SUBCOMMANDS)) {
            commandLine.addSubcommand(subcommand);
        }
        // Every argument is taken as it is written: picocli would read '@alice' as the contents of a file
        // named alice, into a prompt or a command's arguments.
        commandLine.setExpandAtFiles(false);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            PrintWriter err = line.getErr();
            if (exception instanceof UsageException) {
                err.println("mayfly: " + exception.getMessage());
                err.flush();
                return ExitCodes.USAGE;
            }
            err.println("mayfly: error: " + (exception.getMessage() == null ? exception.toString() : exception.getMessage()));
            err.flush();
            return ExitCodes.FAILED;
        });
        commandLine.setParameterExceptionHandler((exception, arguments) -> {
            PrintWriter err = exception.getCommandLine().getErr();
            err.println("mayfly: " + UnknownOptions.first(exception.getCommandLine().getCommandSpec(), arguments)
                    .orElse(exception.getMessage()));
            err.println("Run '" + exception.getCommandLine().getCommandSpec().qualifiedName() + " --help' for the options.");
            err.flush();
            return ExitCodes.USAGE;
        });
        return commandLine;
    }
}
