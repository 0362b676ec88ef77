package dev.mayfly.config;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.errors.UsageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * How a command agent continues its own session in a fresh process ({@code --resume-with}, a batch
 * line's or a step's {@code resume}, {@code MAYFLY_RESUME_WITH}): a preset named after the tool,
 * which turns the agent's own command line into its resume command (so that its flags, model and
 * permissions carry over), or a command line given whole.
 *
 * <p>The presets, each checked against the tool's own documentation (docs/rotation.md):
 * <ul>
 *   <li>{@code claude-code}: {@code claude -p …} continues the most recent session of its working
 *       folder with {@code --continue}, the new prompt becoming the session's next message;</li>
 *   <li>{@code codex}: {@code codex exec …} continues with {@code codex exec … resume --last};</li>
 *   <li>{@code aider}: {@code aider …} reloads its chat history with {@code --restore-chat-history}.</li>
 * </ul>
 */
public final class ResumeWith {

    /** What a resumed agent is told, unless MAYFLY_CONTINUE_PROMPT says otherwise. */
    public static final String DEFAULT_PROMPT = "You were stopped and started again in a fresh process, to free "
            + "memory or after a crash; your session so far has been restored. Continue the task where you left off: "
            + "check what is already done, do not do it again, and finish what remains.";

    private record Preset(String program, UnaryOperator<List<String>> resumeLine) {}

    private static final Map<String, Preset> PRESETS = Map.of(
            "claude-code", new Preset("claude", line -> appended(line, "--continue", "-c")),
            "codex", new Preset("codex", ResumeWith::codexResume),
            "aider", new Preset("aider", line -> appended(line, "--restore-chat-history")));

    public static final String ACCEPTED = "a preset (" + String.join(", ", new TreeSet<>(PRESETS.keySet()))
            + ") or the command line that continues the agent's session";

    private ResumeWith() {}

    /**
     * @param setting where {@code value} came from, for messages
     * @param value a preset's name or a command line
     * @param prompt what the resumed agent is told
     * @return the agent, able to resume
     * @throws UsageException when the agent is no command, or the preset is not for its program
     */
    public static AgentSpec apply(String setting, String value, AgentSpec agent, String prompt) {
        if (agent.kind() != AgentSpec.Kind.COMMAND) {
            throw new UsageException(setting + " applies to command agents, which keep their own session; "
                    + agent.describe() + " is not one (a Java agent continues from its checkpoints)");
        }
        String trimmed = value.trim();
        Preset preset = PRESETS.get(trimmed);
        List<String> line;
        if (preset != null) {
            String program = Path.of(agent.target()).getFileName().toString();
            if (!program.equals(preset.program())) {
                throw UsageException.invalid(setting, value, "a preset for the agent's own program ('" + program
                        + "' is not " + preset.program() + "), or the command line that continues its session");
            }
            line = preset.resumeLine().apply(agent.commandLine());
        } else {
            try {
                line = AgentSpecParser.words(trimmed);
            } catch (IllegalArgumentException e) {
                throw UsageException.invalid(setting, value, "a command line with its quotes closed");
            }
            if (line.isEmpty()) {
                throw UsageException.invalid(setting, value, ACCEPTED);
            }
        }
        return agent.resumingWith(new AgentSpec.Resume(line, prompt));
    }

    /** The line with {@code flag} at its end, unless it (or its short form) is there already. */
    private static List<String> appended(List<String> line, String flag, String... sameFlags) {
        List<String> resumed = new ArrayList<>(line);
        if (!line.contains(flag) && List.of(sameFlags).stream().noneMatch(line::contains)) {
            resumed.add(flag);
        }
        return resumed;
    }

    /**
     * {@code codex exec OPTIONS…} → {@code codex exec OPTIONS… resume --last}: the exec options apply
     * to the resumed run as well; the prompt comes on standard input, as to every command agent.
     */
    private static List<String> codexResume(List<String> line) {
        if (line.size() < 2 || !line.get(1).equals("exec")) {
            throw new UsageException("the codex preset resumes 'codex exec …' (codex's non-interactive mode), not '"
                    + String.join(" ", line) + "'");
        }
        List<String> resumed = new ArrayList<>(line);
        resumed.add("resume");
        resumed.add("--last");
        return resumed;
    }
}
