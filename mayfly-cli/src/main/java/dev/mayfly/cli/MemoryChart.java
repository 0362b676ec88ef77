package dev.mayfly.cli;

import dev.mayfly.store.MemorySampleRecord;
import java.util.List;
import java.util.Locale;

/**
 * A task's memory over time as a small text chart: its whole process tree ({@code #}) and, for a
 * worker, its JVM's heap in use ({@code :}, drawn over the tree it is part of). The top is the
 * highest figure seen, so that a task that used a sliver of its cap still draws a shape; the caps
 * are named beside it.
 */
final class MemoryChart {

    static final int ROWS = 8;
    static final int MAX_COLUMNS = 60;

    private MemoryChart() {}

    /** @param capMb the tree's cap, or null when it has none (an in-process Java agent) */
    static String render(List<MemorySampleRecord> samples, Integer capMb) {
        if (capMb == null) {
            return "  " + MemoryFigures.NOT_MEASURED + "\n";
        }
        if (samples.isEmpty()) {
            return "  no memory samples yet (one every MAYFLY_MEMORY_REPORT_INTERVAL, 10 s by default)\n";
        }
        long start = samples.get(0).at().toEpochMilli();
        long span = Math.max(1, samples.get(samples.size() - 1).at().toEpochMilli() - start);
        int columns = Math.min(MAX_COLUMNS, samples.size());
        double[] tree = new double[columns];
        double[] heap = new double[columns];
        double top = 0;
        boolean anyTree = false;
        for (MemorySampleRecord sample : samples) {
            int column = (int) ((sample.at().toEpochMilli() - start) * (columns - 1) / span);
            double resident = sample.residentMb() == null ? 0 : sample.residentMb();
            anyTree |= sample.residentMb() != null;
            tree[column] = Math.max(tree[column], resident);
            heap[column] = Math.max(heap[column], sample.sample().heapUsed());
            top = Math.max(top, Math.max(resident, sample.sample().heapUsed()));
        }
        StringBuilder chart = new StringBuilder();
        String axis = String.format(Locale.ROOT, "%.0f", top);
        for (int row = ROWS - 1; row >= 0; row--) {
            String label = row == ROWS - 1 ? axis + " MB" : row == 0 ? "0 MB" : "";
            chart.append(String.format(Locale.ROOT, "  %" + (axis.length() + 3) + "s |", label));
            double threshold = (row + 0.5) * top / ROWS;
            for (int column = 0; column < columns; column++) {
                chart.append(heap[column] >= threshold ? ':' : tree[column] >= threshold ? '#' : ' ');
            }
            chart.append('\n');
        }
        chart.append("  ").append(" ".repeat(axis.length() + 4)).append('+').append("-".repeat(columns)).append('\n');
        chart.append(String.format(Locale.ROOT, "  %s0 s%s%.1f s (%d samples)%n", " ".repeat(axis.length() + 5),
                " ".repeat(Math.max(1, columns - 8)), span / 1000.0, samples.size()));
        chart.append("  ").append(anyTree ? "# process tree (shared pages counted once)   " : "")
                .append(": worker heap in use   memory cap ").append(capMb).append(" MB\n");
        return chart.toString();
    }
}
