package dev.mayfly.analyze;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * The built-in {@code analyze} agent: a codebase analysis of {@code --param path=DIR} (default: the
 * task's working folder). Writes {@code analysis.json} and {@code analysis.md} into the task's
 * folder and returns the headline numbers with the two files' paths.
 *
 * <p>Two passes over the tree (the second only for repeated blocks), each file read as a bounded
 * stream; see {@link Analysis} and {@link RepeatedBlocks} for why memory stays with the result.
 */
public final class AnalyzeAgent implements Agent {

    public static final String NAME = "analyze";
    private static final int PROGRESS_EVERY = 5000;

    @Override
    public Object run(TaskContext context) throws IOException {
        Path root = context.workDir().resolve(context.params().getOrDefault("path", ".")).normalize();
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("path " + root + " is not a folder; give --param path=DIR");
        }
        long start = System.nanoTime();
        Analysis analysis = new Analysis();
        SourceTree tree = new SourceTree(root, analysis.skipped);
        long[] seen = {0};
        tree.walk((file, path, language) -> {
            stopIfCancelled(context);
            analysis.scan(file, path, language);
            if (++seen[0] % PROGRESS_EVERY == 0) {
                context.progress("scanned " + seen[0] + " files", -1);
            }
        });
        context.progress("scanned " + analysis.files + " files; locating repeated blocks", 0.5);
        // The second walk must not count skips again: it reports into a throw-away tally.
        new SourceTree(root, new SourceTree.Skipped()).walk((file, path, language) -> {
            stopIfCancelled(context);
            analysis.locateRepeats(file, path);
        });
        AnalysisReport report = new AnalysisReport(root.toString(), analysis, (System.nanoTime() - start) / 1_000_000);
        Path json = context.outputDir().resolve("analysis.json");
        Path markdown = context.outputDir().resolve("analysis.md");
        Files.writeString(json, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report.json()) + "\n",
                StandardCharsets.UTF_8);
        Files.writeString(markdown, report.markdown(), StandardCharsets.UTF_8);
        Map<String, Object> result = report.summary();
        result.put("report", markdown.toString());
        result.put("json", json.toString());
        return result;
    }

    private static void stopIfCancelled(TaskContext context) {
        if (context.cancelled()) {
            throw new CancellationException("analysis stopped on request");
        }
    }
}
