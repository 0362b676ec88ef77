package dev.mayfly.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * How a task ended, as {@code mayfly run} prints it, wherever it ran: in this process or in a server.
 *
 * @param memory its memory figures as {@link MemoryFigures} says them
 * @param resultJson its result as JSON text, or null to leave the line out
 */
record TaskEnd(String taskId, String verdict, String mode, long executionTimeMs, String memory, String error,
        String resultJson, String folder) {

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "Task %s %s (%s, %d ms, %s)%n", taskId, verdict, mode, executionTimeMs, memory);
        if (error != null) {
            out.println("Error: " + error);
        }
        if (resultJson != null) {
            out.println("Result: " + resultJson);
        }
        out.println("Folder: " + folder + " (the task's log and artifacts; mayfly status " + taskId + " for the rest)");
    }
}
