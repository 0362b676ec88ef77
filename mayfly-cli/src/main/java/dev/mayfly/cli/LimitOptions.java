package dev.mayfly.cli;

import dev.mayfly.config.SettingsReader;
import dev.mayfly.task.TaskLimits;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a task may take, as {@code run} and {@code batch} accept it (a batch line's own values win). */
final class LimitOptions {

    String heapMb;
    String memoryMb;
    String timeout;
    String retries;
    Boolean growMemory;

    /** Adds these options to {@code spec}. */
    CommandSpec addTo(CommandSpec spec) {
        return spec.value("--heap-mb", "N", "A worker's heap cap in MB (MAYFLY_HEAP_MB, default 4096).",
                        value -> heapMb = value)
                .value("--memory-mb", "N", "The cap on the task's whole process tree, in MB: the worker or command and "
                        + "everything it starts (MAYFLY_MEMORY_MB; default twice the heap cap, at most this host's memory "
                        + "less the reserve).", value -> memoryMb = value)
                .value("--timeout", "DURATION", "How long the task may run: 500ms, 30s, 10m, 2h; a bare number is ms "
                        + "(MAYFLY_TIMEOUT, default 10m).", value -> timeout = value)
                .value("--retries", "N", "Run a task that crashed or ran out of memory again, up to N more times, with "
                        + "backoff (MAYFLY_RETRIES, default 0).", value -> retries = value)
                .negatable("--grow-memory", "A retry after out_of_memory gets 1.5 times the heap and tree cap "
                        + "(MAYFLY_GROW_MEMORY, default on).", value -> growMemory = value);
    }

    /**
     * The limits these flags gave (as {@code limits} has them, checked), as a batch line's fields:
     * for a server to apply to the tasks it is sent.
     */
    Map<String, Object> given(TaskLimits limits) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (heapMb != null) {
            fields.put("heapMb", limits.heapMb());
        }
        if (memoryMb != null) {
            fields.put("memoryMb", limits.memoryMb());
        }
        if (timeout != null) {
            fields.put("timeout", limits.timeout().toMillis());
        }
        if (retries != null) {
            fields.put("retries", limits.retries());
        }
        if (growMemory != null) {
            fields.put("growMemory", limits.growMemory());
        }
        return fields;
    }

    /** These values as settings flags, on top of {@code flags}. */
    SettingsReader.Flags addTo(SettingsReader.Flags flags) {
        return flags.heapMb(heapMb).memoryMb(memoryMb).timeout(timeout).retries(retries).growMemory(growMemory);
    }
}
