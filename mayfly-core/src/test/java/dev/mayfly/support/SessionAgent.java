package dev.mayfly.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.config.ResumeWith;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * programs/session-agent.js as a command agent: a Node program that keeps its session in a file,
 * like Claude Code, Codex or aider, and can continue it with {@code --continue}; and what the tests
 * read back from its trail file.
 */
public final class SessionAgent {

    private SessionAgent() {}

    /** {@code [node options…] node -e <agent> STEPS MB CHILD_EVERY THINK_MS} */
    public static List<String> line(List<String> nodeOptions, int steps, int mbPerStep, int childEvery, int thinkMs) {
        List<String> line = new ArrayList<>(TestPrograms.node("session-agent.js", steps, mbPerStep, childEvery, thinkMs));
        line.addAll(1, nodeOptions);
        return line;
    }

    /** The agent, able to continue its session: the same line with {@code --continue}, given as --resume-with would be. */
    public static AgentSpec resumable(List<String> line) {
        List<String> resume = new ArrayList<>(line);
        resume.add("--continue");
        String quoted = resume.stream().map(word -> "'" + word.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
        return ResumeWith.apply("--resume-with", quoted, AgentSpec.command(line), ResumeWith.DEFAULT_PROMPT);
    }

    /** The agent's trail in its working folder: one line per event. */
    public static List<String> trail(Path workDir) throws IOException {
        return Files.readAllLines(workDir.resolve("trail.txt"));
    }

    /** Its result line when every step ran once: {@code result <sum of the squares of 1..steps>}. */
    public static String result(int steps) {
        long sum = 0;
        for (long step = 1; step <= steps; step++) {
            sum += step * step;
        }
        return "result " + sum;
    }

    /** Every step, from 1 to {@code steps}, is in the trail exactly once. */
    public static void assertEachStepOnce(List<String> trail, int steps) {
        Map<String, Long> done = trail.stream().filter(line -> line.startsWith("step "))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(done).as("every step done once").hasSize(steps).allSatisfy((step, count) ->
                assertThat(count).as(step).isEqualTo(1));
    }
}
