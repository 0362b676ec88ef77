package dev.mayfly.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkflowLoaderTest {

    private final Settings settings = new SettingsReader(Map.of(), Path.of("/tmp")).read(SettingsReader.Flags.none());
    private final WorkflowLoader loader = new WorkflowLoader(settings);

    private static final String GOOD = String.join("\n",
            "name: review",
            "description: Two steps",
            "triggers: [review code, audit]",
            "complexity: high",
            "steps:",
            "  - id: first",
            "    agent: probe",
            "    prompt: 'look at {{prompt}}'",
            "  - id: second",
            "    agent: probe",
            "    needs: [first]",
            "    prompt: 'then {{steps.first.result.prompt}} and {{params.depth}}'",
            "    heapMb: 256",
            "    timeout: 5m",
            "    workers: false",
            "  - id: third",
            "    agent: 'command:sh -c true'",
            "    resume: 'sh -c \"echo again\"'",
            "");

    @Test
    void a_good_workflow_loads_with_all_its_parts() {
        Workflow workflow = loader.load("review.yaml", GOOD);

        assertThat(workflow.name()).isEqualTo("review");
        assertThat(workflow.triggers()).containsExactly("review code", "audit");
        assertThat(workflow.complexity()).isEqualTo(0.8);
        Step second = workflow.step("second");
        assertThat(second.needs()).containsExactly("first");
        assertThat(second.limits().heapMb()).isEqualTo(256);
        assertThat(second.workers()).isFalse();
        assertThat(second.line()).isEqualTo(9);
        assertThat(second.prompt().render("p", Map.of("depth", "2"), Map.of("first", "{\"prompt\":\"look at p\"}")))
                .isEqualTo("then look at p and 2");
        assertThat(workflow.step("third").resume()).isEqualTo("sh -c \"echo again\"");
        assertThat(second.resume()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bad YAML | name: [x | review.yaml:1: not valid YAML",
        "unknown field | name: x\\nstepz: []\\nsteps:\\n  - id: a\\n    agent: probe | review.yaml:2: unknown workflow field 'stepz'",
        "unknown agent | name: x\\nsteps:\\n  - id: a\\n    agent: gpt | review.yaml:4: unknown agent: invalid agent 'gpt'",
        "missing class | name: x\\nsteps:\\n  - id: a\\n    agent: java:com.nope.Agent | review.yaml:4: agent 'java:com.nope.Agent': agent class com.nope.Agent not found",
        "cycle | name: x\\nsteps:\\n  - id: a\\n    agent: probe\\n    needs: [c]\\n  - id: b\\n    agent: probe\\n    needs: [a]\\n  - id: c\\n    agent: probe\\n    needs: [b] | review.yaml:3: the steps' needs form a cycle: a → c → b → a",
        "unknown need | name: x\\nsteps:\\n  - id: a\\n    agent: probe\\n    needs: [zz] | review.yaml:3: step 'a' needs 'zz', which is not a step of this workflow",
        "template to a missing step | name: x\\nsteps:\\n  - id: a\\n    agent: probe\\n    prompt: '{{steps.ghost.result}}' | review.yaml:3: step 'a' uses {{steps.ghost…}}, but there is no step 'ghost'",
        "template to a step not needed | name: x\\nsteps:\\n  - id: a\\n    agent: probe\\n  - id: b\\n    agent: probe\\n    prompt: '{{steps.a.output}}' | review.yaml:5: step 'b' uses {{steps.a…}} without needing it; add 'a' to its needs",
        "unknown template | name: x\\nsteps:\\n  - id: a\\n    agent: probe\\n    prompt: '{{user}}' | review.yaml:5: unknown template '{{user}}'",
        "duplicate id | name: x\\nsteps:\\n  - id: a\\n    agent: probe\\n  - id: a\\n    agent: probe | review.yaml:5: step id 'a' is used twice",
        "bad heap | name: x\\nsteps:\\n  - id: a\\n    agent: probe\\n    heapMb: lots | review.yaml:5: invalid heapMb 'lots'",
        "no steps | name: x\\nsteps: [] | review.yaml:2: 'steps' must be a list of one or more steps",
        "bad name | name: My Flow\\nsteps:\\n  - id: a | review.yaml:1: name 'My Flow' must be lower-case letters, digits and dashes",
        "resume for a builtin | name: x\\nsteps:\\n  - id: a\\n    agent: probe\\n    resume: claude-code | review.yaml:4: resume applies to command agents",
        "preset for another program | name: x\\nsteps:\\n  - id: a\\n    agent: 'command:sh -c true'\\n    resume: aider | review.yaml:4: invalid resume 'aider': expected a preset for the agent's own program ('sh' is not aider)",
    })
    void a_malformed_workflow_names_its_file_its_line_and_what_is_wrong(String what, String text, String message) {
        assertThatThrownBy(() -> loader.load("review.yaml", text.replace("\\n", "\n")))
                .isInstanceOf(WorkflowError.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void the_built_in_workflows_load() {
        WorkflowCatalog.Contents contents = new WorkflowCatalog(settings).load();

        assertThat(contents.problems()).isEmpty();
        assertThat(contents.workflows()).containsKeys("codebase-analysis", "code-review", "implement");
    }

    @Test
    void the_router_picks_the_workflow_whose_triggers_match_best_and_names_a_close_runner_up() {
        Map<String, Workflow> workflows = new WorkflowCatalog(settings).load().workflows();

        WorkflowRouter.Decision analysis = WorkflowRouter.route("Analyze codebase for patterns", workflows.values());
        assertThat(analysis.choice().workflow().name()).isEqualTo("codebase-analysis");
        assertThat(analysis.explanation()).isEqualTo("Workflow: codebase-analysis (the prompt says 'Analyze codebase')");

        WorkflowRouter.Decision close = WorkflowRouter.route("Implement a codebase analysis", workflows.values());
        assertThat(close.choice().workflow().name()).isEqualTo("codebase-analysis");
        assertThat(close.runnerUp().workflow().name()).isEqualTo("implement");

        assertThat(WorkflowRouter.route("Say hello", workflows.values()).choice()).isNull();
        assertThat(WorkflowRouter.route("Do a code review of billing", workflows.values()).choice().workflow().name())
                .isEqualTo("code-review");
    }
}
