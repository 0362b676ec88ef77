package dev.mayfly.api;

/**
 * One piece of an agent's working context (a conversation turn, a summary of older turns), kept
 * in the store so that the context outlives the worker that held it.
 *
 * <p>Segments are numbered by the agent from 0 in the order they were made. Saving segment
 * {@code seq} again, as an agent that continues from a checkpoint does, replaces it and drops every
 * later one: they belonged to the attempt that did not reach its next checkpoint.
 *
 * @param seq the segment's number in the task, from 0
 * @param tier {@link #HEAD} (kept whole), {@link #RECENT} (the last turns, kept whole) or
 *     {@link #MID_TERM} (a summary of older turns)
 * @param role who said it: {@code system}, {@code user}, {@code assistant}, {@code tool}, or
 *     {@code summary}
 * @param content the text, or the message as JSON
 * @param tokens the estimated size in tokens
 * @param summarisesThrough for a summary, the last segment it covers (with all earlier non-head
 *     ones); -1 otherwise
 */
public record ContextSegment(long seq, String tier, String role, String content, long tokens, long summarisesThrough) {

    public static final String HEAD = "head";
    public static final String RECENT = "recent";
    public static final String MID_TERM = "mid-term";

    public ContextSegment {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be 0 or more, not " + seq);
        }
        if (!HEAD.equals(tier) && !RECENT.equals(tier) && !MID_TERM.equals(tier)) {
            throw new IllegalArgumentException("tier must be head, recent or mid-term, not " + tier);
        }
        if (role == null || content == null) {
            throw new IllegalArgumentException("a segment needs a role and content");
        }
    }

    /** A turn of the conversation, as it was said. */
    public static ContextSegment turn(long seq, String tier, String role, String content, long tokens) {
        return new ContextSegment(seq, tier, role, content, tokens, -1);
    }

    /** A summary of every non-head segment up to {@code through}. */
    public static ContextSegment summary(long seq, String content, long tokens, long through) {
        return new ContextSegment(seq, MID_TERM, "summary", content, tokens, through);
    }
}
