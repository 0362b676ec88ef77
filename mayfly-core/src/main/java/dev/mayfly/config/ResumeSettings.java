package dev.mayfly.config;

import dev.mayfly.log.RecordText;
import java.time.Duration;
import java.util.Optional;

/**
 * How command agents that keep their own session are continued, and when they are moved to a fresh
 * process (docs/rotation.md).
 *
 * @param defaultWith how the agent of {@code MAYFLY_AGENT} resumes ({@code MAYFLY_RESUME_WITH}): a
 *     preset or a command line; empty when it cannot
 * @param prompt what a resumed agent is told ({@code MAYFLY_CONTINUE_PROMPT})
 * @param forcePercent the tree's memory, in percent of its cap, past which such an agent is moved even
 *     without a safe point ({@code MAYFLY_ROTATE_FORCE_PERCENT})
 * @param quiet how long its output must have been quiet for a safe point ({@code MAYFLY_ROTATE_QUIET})
 */
public record ResumeSettings(Optional<String> defaultWith, String prompt, double forcePercent, Duration quiet) {

    /** As a record shows itself, without its first use's cost ({@link RecordText}). */
    @Override
    public String toString() {
        return RecordText.of(this);
    }
}
