package dev.mayfly.log;

import dev.mayfly.json.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The orchestrator's log in the seeds' shape: one JSON object a line,
 * {@code {timestamp, level, component, supervisorId, message, …fields}}, always appended to
 * {@code $MAYFLY_HOME/logs/orchestrator.log}; and on the console either readable lines
 * ({@code [Orchestrator Entry] Using worker pattern for long-running task}) or the same JSON.
 *
 * <p>Why not a logging framework: the shape is a contract, every line needs the supervisor's id,
 * and the console and file differ in form; a small writer says all that directly.
 */
public final class OrchestratorLog implements AutoCloseable {

    public static final String ENTRY = "orchestrator-entry";
    public static final String SUPERVISOR = "supervisor";

    private final BufferedWriter file;
    private final PrintStream console;
    private final LogFormat consoleFormat;
    private final boolean consoleInfo;
    private final Clock clock;
    private volatile String supervisorId;

    public OrchestratorLog(Path logFile, PrintStream console, LogFormat consoleFormat, Clock clock) throws IOException {
        this(logFile, console, consoleFormat, true, clock);
    }

    /**
     * @param consoleInfo whether info lines reach the console too, or only warnings and errors (a
     *     batch's progress display says the rest); the file always has every line
     */
    public OrchestratorLog(Path logFile, PrintStream console, LogFormat consoleFormat, boolean consoleInfo, Clock clock)
            throws IOException {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        this.file = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        this.console = console;
        this.consoleFormat = consoleFormat;
        this.consoleInfo = consoleInfo;
        this.clock = clock;
    }

    public void supervisorId(String id) {
        this.supervisorId = id;
    }

    public void info(String component, String message, Object... keyValues) {
        write("info", component, message, keyValues);
    }

    public void warn(String component, String message, Object... keyValues) {
        write("warn", component, message, keyValues);
    }

    public void error(String component, String message, Object... keyValues) {
        write("error", component, message, keyValues);
    }

    /** Writes a line to the log file only (details the console does not need). */
    public void debug(String component, String message, Object... keyValues) {
        String line = Json.write(entry("debug", component, message, keyValues));
        synchronized (this) {
            appendToFile(line);
        }
    }

    /** An agent's progress report, as one console line ({@code Task t-1: reading files (40%)}). */
    public void progress(String taskId, Object message, double fraction) {
        String percent = fraction >= 0 && fraction <= 1 ? String.format(Locale.ROOT, " (%.0f%%)", fraction * 100) : "";
        info(ENTRY, "Task " + taskId + ": " + message + percent, "taskId", taskId, "fraction", fraction);
    }

    private void write(String level, String component, String message, Object... keyValues) {
        Map<String, Object> entry = entry(level, component, message, keyValues);
        String json = Json.write(entry);
        synchronized (this) {
            appendToFile(json);
            if (!consoleInfo && level.equals("info")) {
                return;
            }
            if (consoleFormat == LogFormat.JSON) {
                console.println(json);
            } else {
                console.println("[" + title(component) + "] " + (level.equals("info") ? "" : level.toUpperCase(Locale.ROOT) + ": ")
                        + message);
            }
            console.flush();
        }
    }

    private Map<String, Object> entry(String level, String component, String message, Object... keyValues) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("timestamp", clock.instant().toString());
        entry.put("level", level);
        entry.put("component", component);
        entry.put("supervisorId", supervisorId);
        entry.put("message", message);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            entry.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        return entry;
    }

    private void appendToFile(String line) {
        try {
            file.write(line);
            file.newLine();
            file.flush();
        } catch (IOException e) {
            // The log must never take a task down with it; the console still has the line.
        }
    }

    /** {@code orchestrator-entry} → {@code Orchestrator Entry}. */
    static String title(String component) {
        StringBuilder title = new StringBuilder();
        for (String part : component.split("-")) {
            if (!part.isEmpty()) {
                title.append(title.length() == 0 ? "" : " ")
                        .append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return title.toString();
    }

    @Override
    public synchronized void close() {
        try {
            file.close();
        } catch (IOException e) {
            // Closing a log at exit: nothing useful to do with the error.
        }
    }
}
