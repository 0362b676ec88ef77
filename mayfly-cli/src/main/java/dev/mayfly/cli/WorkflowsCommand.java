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

/** {@code mayfly workflows}: the workflows and their triggers; {@code mayfly workflows check FILE}: one file checked. */
final class WorkflowsCommand implements Subcommand {

    final CommonOptions common = new CommonOptions();

    @Override
    public CommandSpec spec() {
        return common.addTo(new CommandSpec("mayfly workflows", this,
                "Lists the workflows (built-in, and the project's own in $MAYFLY_HOME/workflows/) with their triggers.",
                "'mayfly workflows check FILE' checks one workflow file and names each mistake's line.")
                .subcommands(name -> new Check(), "check"));
    }

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
    static final class Check implements Subcommand {

        Path file;
        final CommonOptions common = new CommonOptions();

        @Override
        public CommandSpec spec() {
            return common.addTo(new CommandSpec("mayfly workflows check", this, "Checks a workflow file without running it.")
                    .parameters("FILE", "", 1, 1, value -> file = Path.of(value)));
        }

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
