package dev.mayfly.bench;

import dev.mayfly.config.AgentProviders;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.task.TaskState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in analysis on a generated tree: {@code --files N} (default 100000) files in folders
 * of 100, a third each Java, Python and JavaScript, about 32 lines each; a marker in every tenth
 * file and the same 8-line block in every hundredth. Runs in a worker JVM capped at
 * {@code --heap-mb} (default 256) and prints the time and the worker's peak heap and RSS.
 */
public final class AnalyzeTreeBenchmark {

    private static final String SHARED = "int shared1 = 1;\nint shared2 = 2;\nint shared3 = 3;\nint shared4 = 4;\n"
            + "int shared5 = 5;\nint shared6 = 6;\nint shared7 = 7;\nint shared8 = 8;\n";

    private AnalyzeTreeBenchmark() {}

    public static void main(String[] args) throws Exception {
        int files = BenchSupport.intArg(args, "--files", 100_000);
        int heapMb = BenchSupport.intArg(args, "--heap-mb", 256);
        Path home = BenchSupport.tempHome();
        Path tree = home.resolve("tree");
        long start = System.nanoTime();
        long bytes = generate(tree, files);
        System.out.printf(Locale.ROOT, "generated %,d files (%,.1f MB) in %.1f s%n", files, bytes / 1048576.0,
                (System.nanoTime() - start) / 1e9);
        try (Orchestrator orchestrator = BenchSupport.orchestrator(home, 1)) {
            TaskRequest request = TaskRequest.builder("Analyze codebase", AgentProviders.builtIn().spec("analyze"))
                    .params(Map.of("path", tree.toString())).complexity(0.8).workDir(home)
                    .limits(TaskLimits.of(heapMb, Duration.ofHours(1))).build();
            long analysisStart = System.nanoTime();
            TaskResult result = orchestrator.run(request);
            double seconds = (System.nanoTime() - analysisStart) / 1e9;
            if (result.outcome().state() != TaskState.COMPLETED) {
                throw new IllegalStateException("analysis failed: " + result.outcome());
            }
            System.out.printf(Locale.ROOT, "analysis in a worker capped at %d MB: %.1f s, peak heap %.1f MB, peak RSS %.1f MB%n",
                    heapMb, seconds, result.outcome().memoryPeakMb(), result.outcome().rssPeakMb());
            System.out.println("result: " + result.outcome().resultJson());
        }
    }

    private static long generate(Path tree, int files) throws IOException {
        long bytes = 0;
        for (int i = 0; i < files; i++) {
            Path dir = tree.resolve("module" + (i / 10_000)).resolve("pkg" + (i / 100 % 100));
            if (i % 100 == 0) {
                Files.createDirectories(dir);
            }
            String content;
            Path file;
            switch (i % 3) {
                case 0:
                    file = dir.resolve("Type" + i + ".java");
                    content = java(i);
                    break;
                case 1:
                    file = dir.resolve("tool_" + i + ".py");
                    content = python(i);
                    break;
                default:
                    file = dir.resolve("view" + i + ".js");
                    content = javascript(i);
            }
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            Files.write(file, data);
            bytes += data.length;
        }
        return bytes;
    }

    private static String java(int i) {
        StringBuilder s = new StringBuilder("package generated.p" + i + ";\n\n/** Type " + i + ". */\npublic class Type" + i + " {\n");
        for (int m = 0; m < 5; m++) {
            s.append("    // method ").append(m).append(" of ").append(i).append('\n')
                    .append("    int method").append(m).append("(int x) {\n")
                    .append("        int y = x * ").append(i + m).append(";\n")
                    .append("        return y + ").append(m).append(";\n    }\n\n");
        }
        if (i % 10 == 0) {
            s.append("    // TODO revisit type ").append(i).append('\n');
        }
        if (i % 100 == 0) {
            s.append(SHARED);
        }
        return s.append("}\n").toString();
    }

    private static String python(int i) {
        StringBuilder s = new StringBuilder("# tool " + i + "\nimport os\n\n");
        for (int f = 0; f < 6; f++) {
            s.append("def tool_").append(i).append('_').append(f).append("(x):\n")
                    .append("    y = x + ").append(i * 7 + f).append('\n')
                    .append("    return y\n\n");
        }
        if (i % 10 == 1) {
            s.append("# FIXME tool ").append(i).append('\n');
        }
        return s.toString();
    }

    private static String javascript(int i) {
        StringBuilder s = new StringBuilder("// view " + i + "\n'use strict';\n\n");
        for (int f = 0; f < 6; f++) {
            s.append("function view").append(i).append('_').append(f).append("(x) {\n")
                    .append("  const y = x - ").append(i * 3 + f).append(";\n")
                    .append("  return y;\n}\n\n");
        }
        return s.append("module.exports = { view").append(i).append("_0 };\n").toString();
    }
}
