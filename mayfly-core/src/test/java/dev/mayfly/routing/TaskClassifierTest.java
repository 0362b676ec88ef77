package dev.mayfly.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.config.SettingsReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The seeds' task-duration heuristics and the SPEC's must-hold cases. */
class TaskClassifierTest {

    private final TaskClassifier classifier =
            new TaskClassifier(SettingsReader.DEFAULT_LONG_KEYWORDS, SettingsReader.DEFAULT_SHORT_KEYWORDS);

    @ParameterizedTest(name = "\"{0}\" at {1} is long: {2}")
    @CsvSource({
        "Implement authentication feature, 0.7, true",
        "Refactor entire codebase, 0.8, true",
        "Fix login button bug, 0.3, false",
        "Update README documentation, 0.2, false",
        "Add code comment, 0.1, false",
        "Analyze codebase for patterns, 0.6, true",
        "Fix login bug, 0.8, true",
        "Implement feature, 0.5, true",
        "Refactor codebase, 0.5, true",
        "Analyze codebase, 0.5, true",
        "Fix bug, 0.3, false",
        "Update README, 0.5, false",
        "Add comment, 0.5, false",
    })
    void spec_and_seed_cases_hold(String prompt, double complexity, boolean longRunning) {
        assertThat(classifier.classify(prompt, complexity).longRunning()).isEqualTo(longRunning);
    }

    @ParameterizedTest(name = "complexity {0} without keywords is long: {1}")
    @CsvSource({"0.5, false", "0.6, false", "0.61, true", "0.7, true", "0.71, true", "0.3, false"})
    void complexity_thresholds_decide_when_no_keyword_matches(double complexity, boolean longRunning) {
        assertThat(classifier.classify("Look at the login page", complexity).longRunning()).isEqualTo(longRunning);
    }

    @ParameterizedTest(name = "\"{0}\" matches keyword \"{1}\"")
    @CsvSource({
        "Implementing the parser, implementing",
        "The implementation of auth, implementation",
        "Implements caching, implements",
        "Migration to Java 21, migration",
        "A large scale rewrite, large scale",
        "Analyzing the codebase for smells, analyzing the codebase",
        "Analyse large codebase, analyse large codebase",
        "Comprehensively document it, comprehensively",
    })
    void long_keywords_match_their_inflections(String prompt, String expected) {
        Classification result = classifier.classify(prompt, 0.5);
        assertThat(result.longRunning()).isTrue();
        assertThat(result.reason()).contains("'" + expected + "'");
    }

    @ParameterizedTest(name = "\"{0}\" is short at 0.3")
    @CsvSource({"Fixes the crash", "Fixed typo", "Fixing the build", "Adding a test", "Removal of dead code",
        "Deleting temp files", "Renaming a class", "Quickly update the docs"})
    void short_keywords_match_their_inflections(String prompt) {
        Classification result = classifier.classify(prompt, 0.3);
        assertThat(result.longRunning()).isFalse();
        assertThat(result.reason()).startsWith("short-running keyword");
    }

    @ParameterizedTest(name = "\"{0}\" has no short keyword")
    @CsvSource({"Check the address field", "Prefix the ids", "Addendum review", "Fixture cleanup"})
    void a_keyword_inside_another_word_does_not_match(String prompt) {
        assertThat(classifier.classify(prompt, 0.3).reason()).startsWith("no long-running keyword");
    }

    @ParameterizedTest(name = "\"{0}\" at {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "Fix login bug | 0.3 | short-running keyword 'fix' and complexity 0.30 < 0.5",
        "Implement auth | 0.3 | long-running keyword 'implement'",
        "Fix login bug | 0.8 | complexity 0.80 > 0.7",
        "Look around | 0.65 | complexity 0.65 > 0.6",
        "Look around | 0.5 | no long-running keyword and complexity 0.50 <= 0.6",
    })
    void the_reason_names_the_rule_that_decided(String prompt, double complexity, String reason) {
        assertThat(classifier.classify(prompt, complexity).reason()).isEqualTo(reason);
    }

    @org.junit.jupiter.api.Test
    void keyword_lists_are_configurable() {
        TaskClassifier custom = new TaskClassifier(java.util.List.of("investigate"), java.util.List.of("tweak"));
        assertThat(custom.classify("Investigate the outage", 0.5).longRunning()).isTrue();
        assertThat(custom.classify("Implement auth", 0.5).longRunning()).isFalse();
        assertThat(custom.classify("Tweak the colours", 0.3).reason()).contains("'tweak'");
    }
}
