package dev.mayfly.workflow;

import dev.mayfly.agent.AgentLoadException;
import dev.mayfly.agent.AgentSpec;
import dev.mayfly.agent.Agents;
import dev.mayfly.api.Durations;
import dev.mayfly.config.AgentSpecParser;
import dev.mayfly.config.ResumeWith;
import dev.mayfly.config.RetrySettings;
import dev.mayfly.config.Settings;
import dev.mayfly.errors.UsageException;
import dev.mayfly.routing.Complexity;
import dev.mayfly.task.TaskLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a workflow file and checks all of it before anything runs: its YAML, its fields, each
 * step's agent (that it exists), its {@code needs} (known steps, no cycle), and its templates
 * (known expressions, and only steps it needs). Every mistake names the file and the line.
 */
public final class WorkflowLoader {

    static final List<String> WORKFLOW_FIELDS = List.of("name", "description", "triggers", "complexity", "steps");
    static final List<String> STEP_FIELDS = List.of("id", "agent", "resume", "prompt", "params", "needs", "heapMb", "memoryMb",
            "timeout", "retries", "growMemory", "workers");
    /** The agent named {@code default} (or none) is MAYFLY_AGENT, resolved when the step runs. */
    public static final String DEFAULT_AGENT = "default";

    private final Settings settings;

    public WorkflowLoader(Settings settings) {
        this.settings = settings;
    }

    public Workflow load(String source, String text) {
        YamlNode root = YamlNode.parse(source, text);
        if (root.kind != YamlNode.Kind.MAP) {
            throw new WorkflowError(source, root.line, "a workflow is a mapping with " + String.join(", ", WORKFLOW_FIELDS));
        }
        checkFields(source, root, WORKFLOW_FIELDS, "workflow");
        String name = requiredText(source, root, "name");
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new WorkflowError(source, root.map.get("name").line, "name '" + name
                    + "' must be lower-case letters, digits and dashes");
        }
        YamlNode stepsNode = root.map.get("steps");
        if (stepsNode == null || stepsNode.kind != YamlNode.Kind.LIST || stepsNode.list.isEmpty()) {
            throw new WorkflowError(source, stepsNode == null ? root.line : stepsNode.line, "'steps' must be a list of one or more steps");
        }
        List<Step> steps = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (YamlNode node : stepsNode.list) {
            Step step = step(source, node);
            if (!ids.add(step.id())) {
                throw new WorkflowError(source, step.line(), "step id '" + step.id() + "' is used twice");
            }
            steps.add(step);
        }
        checkNeeds(source, steps);
        checkTemplates(source, steps);
        return new Workflow(name, optionalText(source, root, "description", ""), triggers(source, root),
                complexity(source, root.map.get("complexity")), List.copyOf(steps), source, text);
    }

    private Step step(String source, YamlNode node) {
        if (node.kind != YamlNode.Kind.MAP) {
            throw new WorkflowError(source, node.line, "a step is a mapping with " + String.join(", ", STEP_FIELDS));
        }
        checkFields(source, node, STEP_FIELDS, "step");
        String id = requiredText(source, node, "id");
        if (!id.matches("[A-Za-z0-9_-]+")) {
            throw new WorkflowError(source, node.map.get("id").line, "step id '" + id + "' must be letters, digits, _ and -");
        }
        String agent = optionalText(source, node, "agent", null);
        String resume = optionalText(source, node, "resume", null);
        if (agent != null && !agent.equals(DEFAULT_AGENT)) {
            checkAgent(source, node.map.get("agent").line, agent, resume);
        }
        Template prompt = Template.parse(optionalText(source, node, "prompt", "{{prompt}}"), source,
                node.map.containsKey("prompt") ? node.map.get("prompt").line : node.line);
        Map<String, Template> params = new LinkedHashMap<>();
        YamlNode paramsNode = node.map.get("params");
        if (paramsNode != null) {
            if (paramsNode.kind != YamlNode.Kind.MAP) {
                throw new WorkflowError(source, paramsNode.line, "'params' must be a mapping of names to values");
            }
            paramsNode.map.forEach((key, value) -> {
                if (value.kind != YamlNode.Kind.SCALAR || value.scalar == null) {
                    throw new WorkflowError(source, value.line, "param '" + key + "' must be a string, number or boolean");
                }
                params.put(key, Template.parse(value.text(), source, value.line));
            });
        }
        return new Step(id, agent == null || agent.equals(DEFAULT_AGENT) ? null : agent, resume, prompt, params,
                stringList(source, node.map.get("needs"), "needs"), limits(source, node),
                flag(source, node.map.get("workers"), "workers"), node.line);
    }

    /** The agent exists, and {@code resume} (when given) suits it. */
    private void checkAgent(String source, int line, String agent, String resume) {
        AgentSpec spec;
        try {
            spec = AgentSpecParser.parse("agent", agent, settings.agentClasspath());
            Agents.check(spec);
        } catch (AgentLoadException e) {
            throw new WorkflowError(source, line, "agent '" + agent + "': " + e.getMessage());
        } catch (UsageException e) {
            throw new WorkflowError(source, line, "unknown agent: " + e.getMessage());
        }
        if (resume != null) {
            try {
                ResumeWith.apply("resume", resume, spec, settings.resume().prompt());
            } catch (UsageException e) {
                throw new WorkflowError(source, line, e.getMessage());
            }
        }
    }

    /** Every need names a step, and following needs never comes back to where it started. */
    private static void checkNeeds(String source, List<Step> steps) {
        Map<String, Step> byId = new HashMap<>();
        steps.forEach(step -> byId.put(step.id(), step));
        for (Step step : steps) {
            for (String need : step.needs()) {
                if (!byId.containsKey(need)) {
                    throw new WorkflowError(source, step.line(), "step '" + step.id() + "' needs '" + need
                            + "', which is not a step of this workflow");
                }
            }
        }
        Set<String> done = new HashSet<>();
        for (Step step : steps) {
            List<String> path = new ArrayList<>();
            if (cycleFrom(step.id(), byId, new LinkedHashSet<>(), done, path)) {
                throw new WorkflowError(source, byId.get(path.get(0)).line(), "the steps' needs form a cycle: "
                        + String.join(" → ", path));
            }
        }
    }

    private static boolean cycleFrom(String id, Map<String, Step> byId, LinkedHashSet<String> onPath, Set<String> done,
            List<String> cycle) {
        if (done.contains(id)) {
            return false;
        }
        if (onPath.contains(id)) {
            List<String> path = new ArrayList<>(onPath);
            cycle.addAll(path.subList(path.indexOf(id), path.size()));
            cycle.add(id);
            return true;
        }
        onPath.add(id);
        for (String need : byId.get(id).needs()) {
            if (cycleFrom(need, byId, onPath, done, cycle)) {
                return true;
            }
        }
        onPath.remove(id);
        done.add(id);
        return false;
    }

    /** A template may only read steps that have finished before its step starts: those it needs, directly or not. */
    private static void checkTemplates(String source, List<Step> steps) {
        Map<String, Step> byId = new HashMap<>();
        steps.forEach(step -> byId.put(step.id(), step));
        for (Step step : steps) {
            Set<String> before = upstream(step, byId);
            List<Template> templates = new ArrayList<>(step.params().values());
            templates.add(step.prompt());
            for (Template template : templates) {
                for (String used : template.stepsUsed()) {
                    if (!byId.containsKey(used)) {
                        throw new WorkflowError(source, step.line(), "step '" + step.id() + "' uses {{steps." + used
                                + "…}}, but there is no step '" + used + "'");
                    }
                    if (!before.contains(used)) {
                        throw new WorkflowError(source, step.line(), "step '" + step.id() + "' uses {{steps." + used
                                + "…}} without needing it; add '" + used + "' to its needs");
                    }
                }
            }
        }
    }

    private static Set<String> upstream(Step step, Map<String, Step> byId) {
        Set<String> seen = new HashSet<>();
        List<String> todo = new ArrayList<>(step.needs());
        while (!todo.isEmpty()) {
            String id = todo.remove(todo.size() - 1);
            if (seen.add(id)) {
                todo.addAll(byId.get(id).needs());
            }
        }
        return seen;
    }

    private static void checkFields(String source, YamlNode node, List<String> allowed, String what) {
        node.map.forEach((key, value) -> {
            if (!allowed.contains(key)) {
                throw new WorkflowError(source, value.line, "unknown " + what + " field '" + key + "'; the fields are "
                        + String.join(", ", allowed));
            }
        });
    }

    private static String requiredText(String source, YamlNode node, String field) {
        String text = optionalText(source, node, field, null);
        if (text == null || text.isBlank()) {
            throw new WorkflowError(source, node.line, "'" + field + "' is missing");
        }
        return text;
    }

    private static String optionalText(String source, YamlNode node, String field, String otherwise) {
        YamlNode value = node.map.get(field);
        if (value == null || value.scalar == null && value.kind == YamlNode.Kind.SCALAR) {
            return otherwise;
        }
        if (value.kind != YamlNode.Kind.SCALAR) {
            throw new WorkflowError(source, value.line, "'" + field + "' must be text");
        }
        return value.text();
    }

    private static List<String> triggers(String source, YamlNode root) {
        return stringList(source, root.map.get("triggers"), "triggers");
    }

    private static List<String> stringList(String source, YamlNode node, String field) {
        if (node == null) {
            return List.of();
        }
        if (node.kind != YamlNode.Kind.LIST) {
            throw new WorkflowError(source, node.line, "'" + field + "' must be a list");
        }
        List<String> values = new ArrayList<>();
        for (YamlNode item : node.list) {
            if (item.kind != YamlNode.Kind.SCALAR || item.scalar == null) {
                throw new WorkflowError(source, item.line, "'" + field + "' must list text");
            }
            values.add(item.text());
        }
        return List.copyOf(values);
    }

    private static Double complexity(String source, YamlNode node) {
        if (node == null) {
            return null;
        }
        try {
            return Complexity.parse("complexity", node.text());
        } catch (UsageException e) {
            throw new WorkflowError(source, node.line, e.getMessage());
        }
    }

    private TaskLimits.Overrides limits(String source, YamlNode step) {
        return new TaskLimits.Overrides(heapMb(source, step.map.get("heapMb")), memoryMb(source, step.map.get("memoryMb")),
                timeout(source, step.map.get("timeout")), retries(source, step.map.get("retries")),
                flag(source, step.map.get("growMemory"), "growMemory"));
    }

    private Integer memoryMb(String source, YamlNode node) {
        if (node == null) {
            return null;
        }
        try {
            if (node.scalar instanceof Long) {
                return TaskLimits.checkMemoryMb("memoryMb", (Long) node.scalar, settings.memory());
            }
            throw UsageException.invalid("memoryMb", node.text(), settings.memory().acceptedCaps());
        } catch (UsageException e) {
            throw new WorkflowError(source, node.line, e.getMessage());
        }
    }

    private static Integer retries(String source, YamlNode node) {
        if (node == null) {
            return null;
        }
        if (node.scalar instanceof Long && (Long) node.scalar >= 0 && (Long) node.scalar <= RetrySettings.MAX_RETRIES) {
            return ((Long) node.scalar).intValue();
        }
        throw new WorkflowError(source, node.line, "invalid retries '" + node.text() + "': expected a whole number from 0 to "
                + RetrySettings.MAX_RETRIES);
    }

    private static Integer heapMb(String source, YamlNode node) {
        if (node == null) {
            return null;
        }
        if (node.scalar instanceof Long && (Long) node.scalar >= 16 && (Long) node.scalar <= 1024 * 1024) {
            return ((Long) node.scalar).intValue();
        }
        throw new WorkflowError(source, node.line, "invalid heapMb '" + node.text()
                + "': expected a whole number of megabytes from 16 to 1048576");
    }

    private static Duration timeout(String source, YamlNode node) {
        if (node == null) {
            return null;
        }
        try {
            Duration timeout = Durations.parse(node.text());
            if (!timeout.isZero()) {
                return timeout;
            }
        } catch (IllegalArgumentException e) {
            // Falls through to the error.
        }
        throw new WorkflowError(source, node.line, "invalid timeout '" + node.text() + "': expected " + Durations.ACCEPTED);
    }

    private static Boolean flag(String source, YamlNode node, String field) {
        if (node == null) {
            return null;
        }
        if (node.scalar instanceof Boolean) {
            return (Boolean) node.scalar;
        }
        throw new WorkflowError(source, node.line, "invalid " + field + " '" + node.text() + "': expected true or false");
    }
}
