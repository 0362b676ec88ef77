package dev.mayfly.cli;

import dev.mayfly.store.TaskRecord;
import dev.mayfly.task.TaskOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a task's memory is said: its whole process tree's peak against its cap (what it really held),
 * and its worker's heap peak. An in-process Java agent shares the supervisor's heap: no figure is
 * its own, and that is what is said instead of a number.
 */
final class MemoryFigures {

    static final String NOT_MEASURED = "memory not measured: an in-process Java agent shares the supervisor's heap";

    private MemoryFigures() {}

    /** {@code peak memory 312.4 MB of its 8192 MB cap, peak heap 3.9 MB}, from what a run returns. */
    static String of(TaskOutcome outcome) {
        return of(TaskOutcome.measured(outcome.residentPeakMb()), outcome.memoryCapMb(),
                TaskOutcome.measured(outcome.memoryPeakMb()));
    }

    /** The same, from the store. */
    static String of(TaskRecord task) {
        return of(task.residentPeakMb(), task.memoryCapMb(), task.memoryPeakMb());
    }

    static String of(Double residentPeak, Integer cap, Double heapPeak) {
        if (cap == null) {
            return NOT_MEASURED;
        }
        List<String> parts = new ArrayList<>();
        parts.add(residentPeak == null ? "memory cap " + cap + " MB"
                : String.format(Locale.ROOT, "peak memory %.1f MB of its %d MB cap", residentPeak, cap));
        if (heapPeak != null) {
            parts.add(String.format(Locale.ROOT, "peak heap %.1f MB", heapPeak));
        }
        return String.join(", ", parts);
    }

    /** The tree's peak as a table cell: {@code n/a} where it cannot be measured, {@code -} before it ends. */
    static String cell(TaskRecord task) {
        return task.memoryCapMb() == null ? "n/a" : TaskViews.megabytes(task.residentPeakMb());
    }
}
