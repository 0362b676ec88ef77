package dev.mayfly.cli;

import dev.mayfly.store.EventRecord;
import java.util.List;
import java.util.Map;

/** What a task spent on its model, added up from its model_call, tool_call and context_compacted events. */
final class ModelUse {

    private ModelUse() {}

    /** One line for {@code mayfly status ID}, or null when the task called no model. */
    static String of(List<EventRecord> events) {
        long calls = 0;
        long input = 0;
        long output = 0;
        long tools = 0;
        long failedTools = 0;
        long compactions = 0;
        for (EventRecord event : events) {
            switch (event.type()) {
                case "model_call":
                case "context_compacted": {
                    Map<String, Object> data = event.data();
                    calls += event.type().equals("model_call") ? 1 : 0;
                    compactions += event.type().equals("context_compacted") ? 1 : 0;
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
        return calls + " model calls, " + input + " input + " + output + " output tokens; " + tools + " tool calls"
                + (failedTools > 0 ? " (" + failedTools + " refused or failed)" : "")
                + (compactions > 0 ? "; context compacted " + compactions + " time(s)" : "");
    }

    private static long number(Object value) {
        return value instanceof Number ? ((Number) value).longValue() : 0;
    }
}
