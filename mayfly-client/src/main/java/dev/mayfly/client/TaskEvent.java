package dev.mayfly.client;

import java.util.Map;

/**
 * One thing that happened to a task, as its event stream tells it. {@code type} is a stored event's
 * type ({@code state}, {@code progress}, {@code retry}, …, with its {@code id}), or {@code memory}
 * (a memory sample), {@code log} (a line of its log, in {@code data.line}) or {@code end} (the last
 * one, with the final {@code data.state}); those three have no id.
 */
public record TaskEvent(String id, String type, Map<String, Object> data) {

    public static final String END = "end";
    public static final String LOG = "log";
    public static final String MEMORY = "memory";
}
