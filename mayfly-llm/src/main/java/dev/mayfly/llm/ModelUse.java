package dev.mayfly.llm;

import dev.mayfly.api.AgentEvent;
import java.util.List;
import java.util.Map;

/**
 * What a task spent on its model, added up from its model_call, tool_call and context_compacted
 * events. Every request the server was sent counts as a call: the turns, those that failed (each
 * one an event), and the summaries of compactions.
 */
final class ModelUse {

    private ModelUse() {}

    /** One line for {@code mayfly status ID}, or null when the task called no model. */
    static String of(List<AgentEvent> events) {
        long calls = 0;
        long failed = 0;
        long cut = 0;
        long cached = 0;
        long input = 0;
        long output = 0;
        long tools = 0;
        long failedTools = 0;
        long compactions = 0;
        for (AgentEvent event : events) {
            switch (event.type()) {
                case "model_call":
                case "context_compacted": {
                    Map<String, Object> data = event.data();
                    calls++;
                    compactions += event.type().equals("context_compacted") ? 1 : 0;
                    Object outcome = data.get("outcome");
                    failed += "retried".equals(outcome) || "failed".equals(outcome) ? 1 : 0;
                    cut += "cut".equals(outcome) ? 1 : 0;
                    cached += number(data.get("cacheReadTokens"));
                    input += number(data.get("inputTokens"));
                    output += number(data.get("outputTokens"));
                    break;
                }
                case "tool_call":
                    tools++;
                    failedTools += Boolean.FALSE.equals(event.data().get("ok")) ? 1 : 0;
                    break;
                default:
                    break;
            }
        }
        if (calls == 0) {
            return null;
        }
        String troubles = failed > 0 && cut > 0 ? " (" + failed + " failed, " + cut + " cut off)"
                : failed > 0 ? " (" + failed + " failed)" : cut > 0 ? " (" + cut + " cut off)" : "";
        return calls + " model calls" + troubles + ", " + input + " input"
                + (cached > 0 ? " (" + cached + " read from the cache)" : "") + " + " + output + " output tokens; "
                + tools + " tool calls"
                + (failedTools > 0 ? " (" + failedTools + " refused or failed)" : "")
                + (compactions > 0 ? "; context compacted " + compactions + " time(s)" : "");
    }

    private static long number(Object value) {
        return value instanceof Number ? ((Number) value).longValue() : 0;
    }
}
