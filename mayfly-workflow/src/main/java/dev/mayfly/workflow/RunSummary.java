package dev.mayfly.workflow;

import dev.mayfly.json.Json;
import dev.mayfly.store.RunRecord;
import dev.mayfly.store.RunStepRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** {@code run-summary.md}: a run told to a person — what was asked, each step, what each gave. */
final class RunSummary {

    private static final int RESULT_CHARS = 3000;

    private RunSummary() {}

    static Path write(RunRecord run, Workflow workflow, List<RunStepRecord> steps) {
        StringBuilder md = new StringBuilder();
        md.append("# Run ").append(run.id()).append(": ").append(run.state().label())
                .append(run.failedStep() == null ? "" : " at step `" + run.failedStep() + "`").append("\n\n");
        md.append("Workflow `").append(workflow.name()).append("` (").append(workflow.source()).append(")");
        if (!workflow.description().isBlank()) {
            md.append(": ").append(workflow.description());
        }
        md.append("\n\nPrompt: ").append(run.prompt()).append("\n\n");
        md.append("Started ").append(run.createdAt());
        if (run.finishedAt() != null) {
            md.append(", finished ").append(run.finishedAt()).append(" (")
                    .append(seconds(Duration.between(run.createdAt(), run.finishedAt()))).append(")");
        }
        md.append(String.format(Locale.ROOT, ", complexity %.2f.%n%n", run.complexity()));
        md.append("| step | needs | state | attempt | task | time |\n|---|---|---|---:|---|---:|\n");
        for (RunStepRecord step : steps) {
            Step definition = workflow.step(step.stepId());
            md.append("| `").append(step.stepId()).append("` | ")
                    .append(definition == null || definition.needs().isEmpty() ? "" : String.join(", ", definition.needs()))
                    .append(" | ").append(step.state().label()).append(" | ").append(step.attempt()).append(" | ")
                    .append(step.taskId() == null ? "" : "`" + step.taskId() + "`").append(" | ")
                    .append(step.startedAt() == null || step.finishedAt() == null ? ""
                            : seconds(Duration.between(step.startedAt(), step.finishedAt())))
                    .append(" |\n");
        }
        for (RunStepRecord step : steps) {
            md.append("\n## ").append(step.stepId()).append(" (").append(step.state().label()).append(")\n\n");
            if (step.error() != null) {
                md.append("Error: ").append(step.error()).append("\n\n");
            }
            if (step.resultJson() != null) {
                String result = Json.writePretty(Json.readOrText(step.resultJson()));
                if (result.length() > RESULT_CHARS) {
                    result = result.substring(0, RESULT_CHARS) + "\n… (the whole result is in " + step.stepId() + "/result.json)";
                }
                md.append("```json\n").append(result).append("\n```\n");
            }
        }
        Path file = Path.of(run.folder()).resolve("run-summary.md");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
