package dev.mayfly.config;

import java.util.Optional;

/**
 * How command agents that keep their own session are continued (docs/rotation.md).
 *
 * @param defaultWith how the agent of {@code MAYFLY_AGENT} resumes ({@code MAYFLY_RESUME_WITH}): a
 *     preset or a command line; empty when it cannot
 * @param prompt what a resumed agent is told ({@code MAYFLY_CONTINUE_PROMPT})
 */
public record ResumeSettings(Optional<String> defaultWith, String prompt) {}
