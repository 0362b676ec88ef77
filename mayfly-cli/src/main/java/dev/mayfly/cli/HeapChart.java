package dev.mayfly.cli;

import dev.mayfly.store.MemorySampleRecord;
import java.util.List;
import java.util.Locale;

/** A task's heap over time as a small text chart, the cap as its top when known. */
final class HeapChart {

    static final int ROWS = 8;
    static final int MAX_COLUMNS = 60;

    private HeapChart() {}

    static String render(List<MemorySampleRecord> samples) {
        if (samples.isEmpty()) {
            return "  no memory samples (a worker reports once per interval, 10 s by default; in-process tasks do not report)\n";
        }
        long start = samples.get(0).at().toEpochMilli();
        long span = Math.max(1, samples.get(samples.size() - 1).at().toEpochMilli() - start);
        int columns = Math.min(MAX_COLUMNS, samples.size());
        double[] peaks = new double[columns];
        double top = 0;
        for (MemorySampleRecord sample : samples) {
            int column = (int) ((sample.at().toEpochMilli() - start) * (columns - 1) / span);
            peaks[column] = Math.max(peaks[column], sample.sample().heapUsed());
            top = Math.max(top, Math.max(sample.sample().heapUsed(), sample.sample().heapMax()));
        }
        StringBuilder chart = new StringBuilder();
        String axis = String.format(Locale.ROOT, "%.0f", top);
        for (int row = ROWS - 1; row >= 0; row--) {
            String label = row == ROWS - 1 ? axis + " MB" : row == 0 ? "0 MB" : "";
            chart.append(String.format(Locale.ROOT, "  %" + (axis.length() + 3) + "s |", label));
            double threshold = (row + 0.5) * top / ROWS;
            for (double peak : peaks) {
                chart.append(peak >= threshold ? '#' : ' ');
            }
            chart.append('\n');
        }
        chart.append("  ").append(" ".repeat(axis.length() + 4)).append('+').append("-".repeat(columns)).append('\n');
        chart.append(String.format(Locale.ROOT, "  %s0 s%s%.1f s (%d samples; top = heap cap)%n", " ".repeat(axis.length() + 5),
                " ".repeat(Math.max(1, columns - 8)), span / 1000.0, samples.size()));
        return chart.toString();
    }
}
