package dev.mayfly.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.mayfly.api.ContextSegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The part of the conversation that is in memory and goes to the model, in the seeds' tiers:
 * head (system prompt and task, kept whole), mid-term (one summary of every older turn), recent
 * (the last turns, kept whole). Every message also goes to the store as a {@link ContextSegment}
 * when it is added, so the window can let go of old turns without losing them.
 *
 * <p>Sizes are estimates: a message's JSON form has about four characters a token. The estimate
 * errs high (JSON adds quotes and escapes), which keeps the window on the safe side of the budget.
 */
final class ContextWindow {

    /** A message in the window, with its number in the task's segments and its estimated size. */
    record Entry(long seq, ChatMessage message, String json, long tokens) {

        static Entry of(long seq, ChatMessage message) {
            String json = ChatMessageSerializer.messageToJson(message);
            return new Entry(seq, message, json, estimate(json));
        }

        ContextSegment segment(String tier) {
            return ContextSegment.turn(seq, tier, role(message), json, tokens);
        }
    }

    static final String SUMMARY_PREFIX = "Summary of the earlier part of this task (older turns, compacted):\n";

    private final List<Entry> head = new ArrayList<>();
    private final List<Entry> recent = new ArrayList<>();
    private Entry summary;
    private long summarisesThrough = -1;
    private long nextSeq;

    static long estimate(String text) {
        return (text.length() + 3) / 4 + 4;
    }

    /**
     * The tools' definitions as a request carries them (name, description, the parameters' JSON
     * schema), estimated as messages are. They go with every request, so they take their part of
     * the budget: about 900 tokens for the six workspace tools.
     */
    static long estimateTools(List<ToolSpecification> tools) {
        long total = 0;
        for (ToolSpecification tool : tools) {
            Map<String, Object> function = new LinkedHashMap<>();
            function.put("name", tool.name());
            function.put("description", tool.description());
            function.put("parameters", tool.parameters() == null ? Map.of() : JsonSchemaElementUtils.toMap(tool.parameters()));
            total += estimate(JsonValues.write(Map.of("type", "function", "function", function)));
        }
        return total;
    }

    /** Adds a message to the head tier; returns its segment for the store. */
    ContextSegment addHead(ChatMessage message) {
        Entry entry = Entry.of(nextSeq++, message);
        head.add(entry);
        return entry.segment(ContextSegment.HEAD);
    }

    /** Adds a message to the recent tier; returns its segment for the store. */
    ContextSegment addRecent(ChatMessage message) {
        Entry entry = Entry.of(nextSeq++, message);
        recent.add(entry);
        return entry.segment(ContextSegment.RECENT);
    }

    /** The messages to send, in order: head, summary, recent. */
    List<ChatMessage> messages() {
        List<ChatMessage> messages = new ArrayList<>();
        head.forEach(entry -> messages.add(entry.message()));
        if (summary != null) {
            messages.add(summary.message());
        }
        recent.forEach(entry -> messages.add(entry.message()));
        return messages;
    }

    long tokens() {
        return sum(head) + (summary == null ? 0 : summary.tokens()) + sum(recent);
    }

    long headTokens() {
        return sum(head);
    }

    String summaryText() {
        return summary == null ? null : ((SystemMessage) summary.message()).text().substring(SUMMARY_PREFIX.length());
    }

    /**
     * Takes the oldest whole rounds (a model turn and its tool results) out of the recent tier until
     * the window is at most {@code targetTokens}, always keeping the last round: the model must see
     * the results it is waiting for. Returns what was taken, oldest first, for the summary.
     */
    List<Entry> takeOldestRounds(long targetTokens) {
        List<Integer> roundStarts = new ArrayList<>();
        for (int i = 0; i < recent.size(); i++) {
            if (!(recent.get(i).message() instanceof ToolExecutionResultMessage)) {
                roundStarts.add(i);
            }
        }
        int cut = 0;
        long remaining = tokens();
        for (int r = 0; r + 1 < roundStarts.size() && remaining > targetTokens; r++) {
            int end = roundStarts.get(r + 1);
            remaining -= sum(recent.subList(cut, end));
            cut = end;
        }
        List<Entry> taken = new ArrayList<>(recent.subList(0, cut));
        recent.subList(0, cut).clear();
        return taken;
    }

    /** Puts a new summary in the mid-term tier, covering every turn up to {@code through}; returns its segment. */
    ContextSegment summarise(String text, long through) {
        Entry entry = Entry.of(nextSeq++, SystemMessage.from(SUMMARY_PREFIX + text));
        summary = entry;
        summarisesThrough = through;
        return ContextSegment.summary(entry.seq(), text, entry.tokens(), through);
    }

    /** The tool calls of the last model turn that have no result yet (after a restart mid-round). */
    List<ToolExecutionRequest> unansweredToolCalls() {
        Set<String> answered = new HashSet<>();
        for (int i = recent.size() - 1; i >= 0; i--) {
            ChatMessage message = recent.get(i).message();
            if (message instanceof ToolExecutionResultMessage) {
                answered.add(((ToolExecutionResultMessage) message).id());
            } else if (message instanceof AiMessage) {
                AiMessage ai = (AiMessage) message;
                if (!ai.hasToolExecutionRequests()) {
                    return List.of();
                }
                return ai.toolExecutionRequests().stream().filter(call -> !answered.contains(call.id())).toList();
            }
        }
        return List.of();
    }

    /** The window as checkpoint state. */
    Map<String, Object> toState() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("nextSeq", nextSeq);
        state.put("head", toMaps(head));
        state.put("summary", summary == null ? null : toMaps(List.of(summary)).get(0));
        state.put("summarisesThrough", summarisesThrough);
        state.put("recent", toMaps(recent));
        return state;
    }

    @SuppressWarnings("unchecked")
    static ContextWindow fromState(Map<String, Object> state) {
        ContextWindow window = new ContextWindow();
        window.nextSeq = ((Number) state.get("nextSeq")).longValue();
        window.head.addAll(fromMaps((List<Map<String, Object>>) state.get("head")));
        if (state.get("summary") != null) {
            window.summary = fromMaps(List.of((Map<String, Object>) state.get("summary"))).get(0);
            window.summarisesThrough = ((Number) state.get("summarisesThrough")).longValue();
        }
        window.recent.addAll(fromMaps((List<Map<String, Object>>) state.get("recent")));
        return window;
    }

    private static List<Map<String, Object>> toMaps(List<Entry> entries) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Entry entry : entries) {
            list.add(Map.of("seq", entry.seq(), "message", entry.json()));
        }
        return list;
    }

    private static List<Entry> fromMaps(List<Map<String, Object>> list) {
        List<Entry> entries = new ArrayList<>();
        for (Map<String, Object> item : list) {
            String json = (String) item.get("message");
            entries.add(new Entry(((Number) item.get("seq")).longValue(), ChatMessageDeserializer.messageFromJson(json),
                    json, estimate(json)));
        }
        return entries;
    }

    private static long sum(List<Entry> entries) {
        long total = 0;
        for (Entry entry : entries) {
            total += entry.tokens();
        }
        return total;
    }

    static String role(ChatMessage message) {
        switch (message.type()) {
            case SYSTEM:
                return "system";
            case USER:
                return "user";
            case AI:
                return "assistant";
            case TOOL_EXECUTION_RESULT:
                return "tool";
            default:
                return message.type().name().toLowerCase(Locale.ROOT);
        }
    }
}
