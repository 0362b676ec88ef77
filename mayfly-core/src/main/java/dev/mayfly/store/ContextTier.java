package dev.mayfly.store;

/** How much of a task's context the store holds in one tier: its segments and their estimated tokens. */
public record ContextTier(String tier, long segments, long tokens) {}
