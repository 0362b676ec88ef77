package dev.mayfly.bench;

import dev.mayfly.api.ContextSegment;
import dev.mayfly.config.AgentProviders;
import dev.mayfly.llm.testing.ScriptedModelServer.Call;
import dev.mayfly.llm.testing.ScriptedModelServer.Dialect;
import dev.mayfly.llm.testing.ScriptedModelServer.Turn;
import dev.mayfly.llm.testing.ScriptedModelServer;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import dev.mayfly.task.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The llm agent over a long conversation: {@code --turns N} (default 1000) model turns, each
 * reading a 400-line page (about 22,000 characters) of a generated file, against the scripted
 * OpenAI-protocol server on loopback, in a worker capped at {@code --heap-mb} (default 32). The
 * whole conversation is far larger than the heap; the run shows that the worker holds only its
 * window. {@code --stream false} asks for whole answers rather than streamed ones. It prints the time, the worker's peaks, rotations, compactions, the largest request the
 * model was sent, and how much of the conversation the store holds.
 */
public final class LlmConversationBenchmark {

    private LlmConversationBenchmark() {}

    public static void main(String[] args) throws Exception {
        int turns = BenchSupport.intArg(args, "--turns", 1000);
        int heapMb = BenchSupport.intArg(args, "--heap-mb", 32);
        String stream = BenchSupport.stringArg(args, "--stream", "true");
        Path home = BenchSupport.tempHome();
        Path workspace = Files.createDirectories(home.resolve("workspace"));
        StringBuilder file = new StringBuilder();
        for (int i = 1; i <= 4000; i++) {
            file.append(String.format(Locale.ROOT, "line %05d: some text of a source file, long enough to count%n", i));
        }
        Files.writeString(workspace.resolve("big.txt"), file);
        List<Turn> script = new ArrayList<>();
        for (int i = 0; i < turns; i++) {
            script.add(Turn.calls(new Call("read_file", Map.of("path", "big.txt", "offset", 1 + (i * 400) % 4000,
                    "limit", 400))));
        }
        script.add(Turn.answer("Read the file " + turns + " times over."));
        try (ScriptedModelServer server = ScriptedModelServer.start(Dialect.OPENAI, script);
                Orchestrator orchestrator = BenchSupport.orchestrator(home, 1)) {
            TaskRequest request = TaskRequest.builder("Implement the long read", AgentProviders.builtIn().spec("llm"))
                    .params(Map.of("llm.base_url", server.baseUrl(), "llm.model", "scripted", "llm.max_steps",
                            String.valueOf(turns + 1), "llm.max_tokens", "1000000000", "llm.stream", stream))
                    .complexity(0.8).workDir(workspace).limits(TaskLimits.of(heapMb, Duration.ofHours(1))).build();
            long start = System.nanoTime();
            TaskResult result = orchestrator.run(request);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (result.outcome().state() != TaskState.COMPLETED) {
                throw new IllegalStateException("the task failed: " + result.outcome());
            }
            TaskRecord task = orchestrator.store().findTask(result.taskId()).orElseThrow();
            long stored = 0;
            int summaries = 0;
            List<ContextSegment> segments = orchestrator.store().contextSegments(result.taskId());
            for (ContextSegment segment : segments) {
                stored += segment.content().length();
                summaries += segment.tier().equals(ContextSegment.MID_TERM) ? 1 : 0;
            }
            int largest = server.seen().stream().mapToInt(ScriptedModelServer.Seen::messageChars).max().orElse(0);
            System.out.printf(Locale.ROOT, "%d turns (stream %s) in a worker capped at %d MB: %.1f s, peak heap %.1f MB, peak RSS "
                    + "%.1f MB, %d attempt(s), %d rotation(s)%n", turns, stream, heapMb, seconds, result.outcome().memoryPeakMb(),
                    result.outcome().rssPeakMb(), task.attempts(), task.rotations());
            System.out.printf(Locale.ROOT, "context: %d compactions, largest request %,d characters (budget 32,000 "
                    + "tokens ~ 128,000); the store holds %d segments, %,.1f MB of conversation%n", summaries, largest,
                    segments.size(), stored / 1048576.0);
        }
    }
}
