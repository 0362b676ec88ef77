package dev.mayfly.cli;

import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The top command; the work is in its subcommands. They are not in its annotation: picocli builds
 * the model of every command it names, by reflection, before anything runs, which was a quarter of
 * a short command's time (docs/benchmarks.md, "The command line"). {@link Main} adds just the one
 * being run, or all of them when none is (for the usage, and for picocli's "did you mean").
 */
@Command(name = "mayfly",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Runs long, memory-hungry agent tasks in fresh, heap-capped worker JVMs.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:completed (run), all checks passed (validate)",
            "1:the task failed, or a check failed",
            "2:bad input: a flag, an environment variable or a file",
            "130:interrupted (Ctrl-C); 143 on SIGTERM"})
final class MayflyCommand implements Runnable {

    /** The subcommands, in the order the usage lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(RunCommand.class, BatchCommand.class, StatusCommand.class,
            LogsCommand.class, CancelCommand.class, ResumeCommand.class, ServeCommand.class, TopCommand.class,
            WorkflowsCommand.class, ValidateCommand.class);

    @Spec
    CommandSpec spec;

    /** The subcommand named {@code name}, if there is one. */
    static Optional<Class<?>> subcommand(String name) {
        return SUBCOMMANDS.stream().filter(command -> command.getAnnotation(Command.class).name().equals(name)).findFirst();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
