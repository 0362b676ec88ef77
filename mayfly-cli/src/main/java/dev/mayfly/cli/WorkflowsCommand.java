package dev.mayfly.cli;

import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.workflow.Step;
import dev.mayfly.workflow.Workflow;
import dev.mayfly.workflow.WorkflowCatalog;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code mayfly workflows}: the workflows and their triggers; {@code mayfly workflows check FILE}: one file checked. */
@Command(name = "workflows", mixinStandardHelpOptions = true,
        description = {"Lists the workflows (built-in, and the project's own in $MAYFLY_HOME/workflows/) with their triggers.",
                "'mayfly workflows check FILE' checks one workflow file and names each mistake's line."},
        subcommands = WorkflowsCommand.Check.class)
final class WorkflowsCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        Settings settings = common.settings(SettingsReader.Flags.none());
        WorkflowCatalog catalog = new WorkflowCatalog(settings);
        WorkflowCatalog.Contents contents = catalog.load();
        PrintStream out = System.out;
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"WORKFLOW", "STEPS", "SOURCE", "TRIGGERS"});
        for (Workflow workflow : contents.workflows().values()) {
            rows.add(new String[] {workflow.name(), String.valueOf(workflow.steps().size()), workflow.source(),
                String.join(", ", workflow.triggers())});
        }
        out.print(Table.render(rows));
        out.println("\nA project's own workflows go in " + catalog.projectDir() + "/*.yaml; 'mayfly run --workflow NAME' "
                + "runs one by name.");
        contents.problems().forEach(problem -> System.err.println("mayfly: " + problem));
        return contents.problems().isEmpty() ? ExitCodes.OK : ExitCodes.USAGE;
    }

    /** {@code mayfly workflows check FILE}. */
    @Command(name = "check", mixinStandardHelpOptions = true, description = "Checks a workflow file without running it.")
    static final class Check implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() {
            Workflow workflow = new WorkflowCatalog(common.settings(SettingsReader.Flags.none())).loadFile(file);
            List<String> steps = new ArrayList<>();
            for (Step step : workflow.steps()) {
                steps.add(step.needs().isEmpty() ? step.id() : step.id() + " (needs " + String.join(", ", step.needs()) + ")");
            }
            System.out.println(file + ": ok, workflow " + workflow.name() + " with " + workflow.steps().size() + " step(s): "
                    + String.join("; ", steps));
            return ExitCodes.OK;
        }
    }
}
