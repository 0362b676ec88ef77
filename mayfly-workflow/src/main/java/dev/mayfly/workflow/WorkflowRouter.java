package dev.mayfly.workflow;

import dev.mayfly.api.Keyword;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Picks the workflow whose triggers best match a prompt. Each trigger found in the prompt (whole
 * words, with inflections, as routing keywords) scores its number of words, so "analyze codebase"
 * beats "analyze"; the highest total wins, and a runner-up within one point is named too.
 */
public final class WorkflowRouter {

    /** A workflow's score for a prompt, and the triggers that made it. */
    public record Match(Workflow workflow, int score, List<String> matched) {}

    /**
     * @param choice the best match, or null when no trigger matched
     * @param runnerUp the next best when it was close (within one point), or null
     */
    public record Decision(Match choice, Match runnerUp) {

        /** One line: which workflow and why. */
        public String explanation() {
            if (choice == null) {
                return "no workflow's triggers match the prompt";
            }
            String why = "Workflow: " + choice.workflow().name() + " (the prompt says '" + String.join("', '", choice.matched())
                    + "'";
            return why + (runnerUp == null ? ")" : "; close runner-up: " + runnerUp.workflow().name() + ", says '"
                    + String.join("', '", runnerUp.matched()) + "')");
        }
    }

    private WorkflowRouter() {}

    public static Decision route(String prompt, Collection<Workflow> workflows) {
        List<Match> matches = new ArrayList<>();
        for (Workflow workflow : workflows) {
            int score = 0;
            List<String> matched = new ArrayList<>();
            for (String trigger : workflow.triggers()) {
                String found = new Keyword(trigger).findIn(prompt);
                if (found != null) {
                    score += trigger.trim().split("\\s+").length;
                    matched.add(found);
                }
            }
            if (score > 0) {
                matches.add(new Match(workflow, score, matched));
            }
        }
        matches.sort(Comparator.comparingInt(Match::score).reversed());
        if (matches.isEmpty()) {
            return new Decision(null, null);
        }
        Match runnerUp = matches.size() > 1 && matches.get(0).score() - matches.get(1).score() <= 1 ? matches.get(1) : null;
        return new Decision(matches.get(0), runnerUp);
    }
}
