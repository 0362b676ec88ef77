package dev.mayfly.config;

import dev.mayfly.agent.AgentLoadException;
import dev.mayfly.agent.AgentSpec;
import dev.mayfly.agent.Agents;
import dev.mayfly.api.AgentProvider;
import dev.mayfly.errors.UsageException;
import java.util.List;
import java.util.Map;

/**
 * Which agent runs a task: the one named for it ({@code --agent}, a command after {@code --}, a
 * batch line's {@code agent}), else {@code MAYFLY_AGENT}, else the built-in {@code analyze} when the
 * prompt asks for a codebase analysis (the provider of an agent that recognises the prompt). The
 * agent is checked here (class, classpath, program), so a wrong one is a usage error before
 * anything is written.
 */
public final class AgentChooser {

    /**
     * @param spec the agent
     * @param note why Mayfly chose it, when the user did not name it; null otherwise
     */
    public record Choice(AgentSpec spec, String note) {}

    private AgentChooser() {}

    /**
     * @param setting where {@code named} came from, for messages ({@code --agent}, {@code line 3: agent})
     * @param named the agent as named for this task, or null
     * @param command a command given as the agent, or an empty list
     */
    public static Choice choose(String setting, String named, List<String> command, String prompt, Settings settings) {
        return choose(setting, named, command, prompt, settings, null, null);
    }

    /**
     * @param resumeSetting where {@code resumeWith} came from, for messages ({@code --resume-with}, {@code line 3: resume})
     * @param resumeWith how the agent continues its session (a preset or a command line), or null: then
     *     the agent of MAYFLY_AGENT resumes as MAYFLY_RESUME_WITH says, and any other does not
     */
    public static Choice choose(String setting, String named, List<String> command, String prompt, Settings settings,
            String resumeSetting, String resumeWith) {
        Choice choice = unchecked(setting, named, command, prompt, settings);
        try {
            Agents.check(choice.spec());
        } catch (AgentLoadException e) {
            throw new UsageException("agent " + choice.spec().describe() + ": " + e.getMessage());
        }
        String resumePrompt = settings.resume().prompt();
        if (resumeWith != null) {
            return new Choice(ResumeWith.apply(resumeSetting, resumeWith, choice.spec(), resumePrompt), choice.note());
        }
        boolean fromDefault = command.isEmpty() && named == null && settings.defaultAgent().isPresent();
        if (fromDefault && settings.resume().defaultWith().isPresent()) {
            return new Choice(ResumeWith.apply("MAYFLY_RESUME_WITH", settings.resume().defaultWith().get(), choice.spec(),
                    resumePrompt), choice.note());
        }
        return choice;
    }

    /**
     * Checks the settings a named agent reads when it starts, so that a bad one stops the task before
     * it is stored rather than failing it in a worker (the {@code llm} agent's model, provider and
     * limits, say): its provider checks them.
     */
    public static void checkSettings(AgentSpec spec, Map<String, String> params, Settings settings) {
        if (spec.kind() != AgentSpec.Kind.BUILTIN) {
            return;
        }
        AgentProvider provider = AgentProviders.forClasspath(settings.agentClasspath()).find(spec.target()).orElse(null);
        if (provider == null) {
            return;
        }
        try {
            provider.checkSettings(System.getenv(), params);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static Choice unchecked(String setting, String named, List<String> command, String prompt,
            Settings settings) {
        if (!command.isEmpty()) {
            if (named != null) {
                throw new UsageException("give the agent either as --agent or as a command after --, not both");
            }
            return new Choice(AgentSpec.command(command), null);
        }
        if (named != null) {
            return new Choice(AgentSpecParser.parse(setting, named, settings.agentClasspath()), null);
        }
        if (settings.defaultAgent().isPresent()) {
            return new Choice(AgentSpecParser.parse("MAYFLY_AGENT", settings.defaultAgent().get(), settings.agentClasspath()),
                    null);
        }
        AgentProviders agents = AgentProviders.forClasspath(settings.agentClasspath());
        for (AgentProvider provider : agents.all()) {
            String words = provider.recognize(prompt);
            if (words != null) {
                return new Choice(agents.spec(provider.name()), "Agent: " + provider.name() + ", "
                        + provider.description() + " (the prompt says '" + words + "')");
            }
        }
        String accepted = AgentSpecParser.accepted(agents);
        // Said in the words of where the task came from: the command line, or a batch line or API body.
        throw new UsageException(setting.startsWith("--")
                ? "no agent named: pass " + setting + " (" + accepted + "), a command after --, or set MAYFLY_AGENT "
                        + "once in your environment (for example MAYFLY_AGENT='command:claude -p'); prompts that ask to "
                        + "analyze a codebase go to the built-in analyze agent"
                : "no agent named: give '" + setting + "' (" + accepted + "), or set MAYFLY_AGENT in the supervisor's "
                        + "environment (for example MAYFLY_AGENT='command:claude -p'); prompts that ask to analyze a "
                        + "codebase go to the built-in analyze agent");
    }
}
