package dev.mayfly.analyze;

import dev.mayfly.api.Keyword;
import java.util.List;

/**
 * Recognises prompts that ask for a codebase analysis ("Analyze codebase for patterns", "analyse
 * the repository", "code analysis of this project"), which go to the built-in {@code analyze}
 * agent when the user named no agent.
 */
public final class AnalysisPrompts {

    private static final List<Keyword> PHRASES = List.of(
            new Keyword("analyze codebase"), new Keyword("analyze code"), new Keyword("analyze repository"),
            new Keyword("analyze repo"), new Keyword("analyze project"), new Keyword("analyze source"),
            new Keyword("codebase analysis"), new Keyword("code analysis"));

    private AnalysisPrompts() {}

    /** The words that matched, or null when the prompt does not ask for an analysis. */
    public static String match(String prompt) {
        for (Keyword phrase : PHRASES) {
            String found = phrase.findIn(prompt);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
