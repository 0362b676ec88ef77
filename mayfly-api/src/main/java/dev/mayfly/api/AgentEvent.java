package dev.mayfly.api;

import java.util.Map;

/**
 * An event a task recorded with {@link TaskContext#event}, as {@link AgentProvider#status} reads it
 * back from the store.
 *
 * @param type the event's name ({@code model_call})
 * @param data its details; empty when it had none
 */
public record AgentEvent(String type, Map<String, Object> data) {

    public AgentEvent {
        data = data == null ? Map.of() : data;
    }
}
