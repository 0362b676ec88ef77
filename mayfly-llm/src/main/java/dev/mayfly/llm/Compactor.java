package dev.mayfly.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.mayfly.api.ContextSegment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the window within its budget: when it passes {@link #COMPACT_AT} of the budget, the
 * oldest rounds leave the recent tier and the model folds them into the mid-term summary, until the
 * window is down to {@link #COMPACT_TO} of the budget.
 */
final class Compactor {

    /** Compaction starts when the window passes this share of the budget. */
    static final double COMPACT_AT = 0.75;
    /** ... and takes turns out until the window is down to this share. */
    static final double COMPACT_TO = 0.5;
    /** A summary may take at most this share of the budget. */
    static final double SUMMARY_SHARE = 0.1;

    private static final String INSTRUCTIONS = "You keep the working memory of a coding agent that works through "
            + "tools in a workspace. You are given the current summary of its earlier work (if any) and the turns that "
            + "follow it. Write the new summary: what the task is, what has been done and found (files read or "
            + "changed, commands run and their outcome, decisions), and what remains. Keep file names, identifiers "
            + "and numbers exact. Be brief; write only the summary.";

    private final ModelClient client;

    /** What one compaction did, for the task's events. */
    record Result(int turns, long throughSeq, long tokensBefore, long tokensAfter, long summaryTokens,
            long inputTokens, long outputTokens, long ms, ContextSegment segment) {

        Map<String, Object> event() {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("turns", turns);
            data.put("throughSeq", throughSeq);
            data.put("tokensBefore", tokensBefore);
            data.put("tokensAfter", tokensAfter);
            data.put("summaryTokens", summaryTokens);
            data.put("inputTokens", inputTokens);
            data.put("outputTokens", outputTokens);
            data.put("ms", ms);
            return data;
        }
    }

    Compactor(ModelClient client) {
        this.client = client;
    }

    /** Whether the window has passed its share of {@code budget}, the tokens the conversation may take. */
    static boolean needed(ContextWindow window, long budget) {
        return window.tokens() > budget * COMPACT_AT;
    }

    /**
     * Compacts the window to its share of {@code budget}; null when there was nothing old enough to
     * take (only the last round is in it).
     *
     * @param failures hears of each summary request that failed
     */
    Result compact(ContextWindow window, long budget, ModelClient.Failures failures) {
        long before = window.tokens();
        long start = System.nanoTime();
        String previous = window.summaryText();
        List<ContextWindow.Entry> taken = window.takeOldestRounds((long) (budget * COMPACT_TO));
        if (taken.isEmpty()) {
            return null;
        }
        int maxSummaryTokens = (int) (budget * SUMMARY_SHARE);
        ChatResponse response = client.chat(ChatRequest.builder()
                .messages(SystemMessage.from(INSTRUCTIONS), UserMessage.from(transcript(previous, taken)))
                .maxOutputTokens(maxSummaryTokens)
                .build(), piece -> { }, failures);
        String text = response.aiMessage().text() == null ? "" : response.aiMessage().text().strip();
        if (text.length() > maxSummaryTokens * 4) {
            // A model may write past the limit it was given; the window's bound must hold anyway.
            text = text.substring(0, maxSummaryTokens * 4);
        }
        long through = taken.get(taken.size() - 1).seq();
        ContextSegment segment = window.summarise(text, through);
        return new Result(taken.size(), through, before, window.tokens(), segment.tokens(),
                TokenCount.of(response).input(), TokenCount.of(response).output(),
                (System.nanoTime() - start) / 1_000_000, segment);
    }

    /** The turns as plain text for the summariser (a transcript, not a conversation to continue). */
    static String transcript(String previous, List<ContextWindow.Entry> turns) {
        StringBuilder text = new StringBuilder();
        text.append("Current summary:\n").append(previous == null ? "(none yet)" : previous).append("\n\nTurns that follow it:\n");
        for (ContextWindow.Entry entry : turns) {
            ChatMessage message = entry.message();
            if (message instanceof AiMessage) {
                AiMessage ai = (AiMessage) message;
                if (ai.text() != null && !ai.text().isBlank()) {
                    text.append("[agent] ").append(ai.text()).append('\n');
                }
                if (ai.hasToolExecutionRequests()) {
                    for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                        text.append("[agent calls ").append(call.name()).append("] ").append(call.arguments()).append('\n');
                    }
                }
            } else if (message instanceof ToolExecutionResultMessage) {
                ToolExecutionResultMessage result = (ToolExecutionResultMessage) message;
                text.append("[result of ").append(result.toolName()).append("] ").append(result.text()).append('\n');
            } else if (message instanceof UserMessage && ((UserMessage) message).hasSingleText()) {
                // A note to the model (a turn cut off at the output limit).
                text.append("[note] ").append(((UserMessage) message).singleText()).append('\n');
            } else {
                text.append('[').append(ContextWindow.role(message)).append("] ").append(message).append('\n');
            }
        }
        return text.toString();
    }
}
