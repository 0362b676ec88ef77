package dev.mayfly.cli;

import dev.mayfly.client.TaskSubmission;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.task.TaskLimits;
import picocli.CommandLine.Option;

/** What a task may take, as {@code run} and {@code batch} accept it (a batch line's own values win). */
final class LimitOptions {

    @Option(names = "--heap-mb", paramLabel = "N", description = "A worker's heap cap in MB (MAYFLY_HEAP_MB, default 4096).")
    String heapMb;

    @Option(names = "--memory-mb", paramLabel = "N",
            description = "The cap on the task's whole process tree, in MB: the worker or command and everything it starts "
                    + "(MAYFLY_MEMORY_MB; default twice the heap cap, at most this host's memory less the reserve).")
    String memoryMb;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "How long the task may run: 500ms, 30s, 10m, 2h; a bare number is ms (MAYFLY_TIMEOUT, default 10m).")
    String timeout;

    @Option(names = "--retries", paramLabel = "N",
            description = "Run a task that crashed or ran out of memory again, up to N more times, with backoff "
                    + "(MAYFLY_RETRIES, default 0).")
    String retries;

    @Option(names = "--grow-memory", negatable = true,
            description = "A retry after out_of_memory gets 1.5 times the heap and tree cap (MAYFLY_GROW_MEMORY, default on).")
    Boolean growMemory;

    /** The limits these flags gave (as {@code limits} has them, checked), for a server to apply to one task. */
    void given(TaskSubmission.Builder task, TaskLimits limits) {
        if (heapMb != null) {
            task.heapMb(limits.heapMb());
        }
        if (memoryMb != null) {
            task.memoryMb(limits.memoryMb());
        }
        if (timeout != null) {
            task.timeout(limits.timeout());
        }
        if (retries != null) {
            task.retries(limits.retries());
        }
        if (growMemory != null) {
            task.growMemory(limits.growMemory());
        }
    }

    /** These values as settings flags, on top of {@code flags}. */
    SettingsReader.Flags addTo(SettingsReader.Flags flags) {
        return flags.heapMb(heapMb).memoryMb(memoryMb).timeout(timeout).retries(retries).growMemory(growMemory);
    }
}
