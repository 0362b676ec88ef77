package dev.mayfly.workflow;

import dev.mayfly.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text with {@code {{…}}} holes: {@code {{prompt}}} (the user's prompt), {@code {{params.NAME}}} (a
 * run parameter, empty when not given), {@code {{steps.ID.result}}} (a step's result as JSON, or as
 * text when it is a string), {@code {{steps.ID.result.FIELD.…}}} (a field of it), and
 * {@code {{steps.ID.output}}} (a command agent's output, else the result as text).
 */
public final class Template {

    private static final Pattern HOLE = Pattern.compile("\\{\\{\\s*([^}]*?)\\s*}}");
    private static final Pattern EXPRESSION = Pattern.compile(
            "prompt|params\\.[A-Za-z0-9_.-]+|steps\\.([A-Za-z0-9_-]+)\\.(result(\\.[A-Za-z0-9_-]+)*|output)");

    private final String text;

    private Template(String text) {
        this.text = text;
    }

    /** Parses a template; an expression it does not know is an error of the given line. */
    static Template parse(String text, String source, int line) {
        Matcher hole = HOLE.matcher(text);
        while (hole.find()) {
            if (!EXPRESSION.matcher(hole.group(1)).matches()) {
                throw new WorkflowError(source, line, "unknown template '{{" + hole.group(1) + "}}'; use {{prompt}}, "
                        + "{{params.NAME}}, {{steps.ID.result}}, {{steps.ID.result.FIELD}} or {{steps.ID.output}}");
            }
        }
        return new Template(text);
    }

    public String text() {
        return text;
    }

    /** The steps this template reads from. */
    List<String> stepsUsed() {
        List<String> steps = new ArrayList<>();
        Matcher hole = HOLE.matcher(text);
        while (hole.find()) {
            Matcher expression = EXPRESSION.matcher(hole.group(1));
            if (expression.matches() && expression.group(1) != null) {
                steps.add(expression.group(1));
            }
        }
        return steps;
    }

    /**
     * Fills the holes.
     *
     * @param results the finished steps' results as JSON text, by step id
     */
    public String render(String prompt, Map<String, String> params, Map<String, String> results) {
        Matcher hole = HOLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (hole.find()) {
            hole.appendReplacement(out, Matcher.quoteReplacement(value(hole.group(1), prompt, params, results)));
        }
        hole.appendTail(out);
        return out.toString();
    }

    private static String value(String expression, String prompt, Map<String, String> params, Map<String, String> results) {
        if (expression.equals("prompt")) {
            return prompt;
        }
        if (expression.startsWith("params.")) {
            return params.getOrDefault(expression.substring("params.".length()), "");
        }
        String[] parts = expression.split("\\.");
        Object result = Json.readOrText(results.get(parts[1]));
        if (parts[2].equals("output")) {
            Object output = result instanceof Map ? ((Map<?, ?>) result).get("output") : null;
            return text(output instanceof String ? output : result);
        }
        Object value = result;
        for (int i = 3; i < parts.length && value != null; i++) {
            value = value instanceof Map ? ((Map<?, ?>) value).get(parts[i]) : null;
        }
        return text(value);
    }

    private static String text(Object value) {
        return value == null ? "" : value instanceof String ? (String) value : Json.write(value);
    }
}
