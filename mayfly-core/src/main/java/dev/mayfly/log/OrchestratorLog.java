package dev.mayfly.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LogbackServiceProvider;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.EncoderBase;
import dev.mayfly.json.Json;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The orchestrator's log, through SLF4J and Logback, in the seeds' shape: one JSON object a line,
 * {@code {timestamp, level, component, supervisorId, message, …fields}}, appended to
 * {@code $MAYFLY_HOME/logs/orchestrator.log}, which rolls over at {@link #MAX_FILE_BYTES} and keeps
 * {@link #KEPT_FILES} earlier files ({@code orchestrator.log.1} the newest); and on the console either
 * readable lines ({@code [Orchestrator Entry] Using worker pattern for long-running task}) or the
 * same JSON. Libraries that log through SLF4J in the supervisor (JGit and LangChain4j for an
 * in-process agent) reach the same file from {@link #LIBRARY_LEVEL} up, each line named by its logger.
 *
 * <p>Each log has a Logback context of its own (a test may hold several logs, each with its own
 * file); the libraries' lines go to the last one opened. Cost, measured on the build machine: a
 * fresh JVM that opens the log and writes three lines took 210 ms against 147 ms with the
 * hand-written writer this replaced (medians of 15 alternating starts), so about 63 ms more for each
 * command; a worker JVM, whose start is the cost that matters most, does not use this log.
 */
public final class OrchestratorLog implements AutoCloseable {

    public static final String ENTRY = "orchestrator-entry";
    public static final String SUPERVISOR = "supervisor";
    /** The log file's size at which it rolls over: 20 MB. */
    public static final long MAX_FILE_BYTES = 20L * 1024 * 1024;
    /** How many rolled-over files are kept. */
    public static final int KEPT_FILES = 5;
    /** From which level the libraries' own lines are kept. */
    public static final Level LIBRARY_LEVEL = Level.WARN;

    static {
        LoggingProvider.choose(LogbackServiceProvider.class);
    }

    private final LoggerContext context = new LoggerContext();
    private final RolledFile file;
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
        this.clock = clock;
        context.setName("mayfly");
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.start();
        file = new RolledFile(logFile, MAX_FILE_BYTES, KEPT_FILES, started(new JsonLines()));
        file.setContext(context);
        file.setName("file");
        file.start();
        OutputStreamAppender<ILoggingEvent> screen = new OutputStreamAppender<>();
        screen.setContext(context);
        screen.setName("console");
        screen.setEncoder(started(consoleFormat == LogFormat.JSON ? new JsonLines() : new ReadableLines()));
        // Closing the log must not close the console (standard error): it only stops writing to it.
        screen.setOutputStream(new FilterOutputStream(console) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        });
        ThresholdFilter onScreen = new ThresholdFilter();
        onScreen.setLevel(consoleInfo ? Level.INFO.levelStr : Level.WARN.levelStr);
        onScreen.start();
        screen.addFilter(onScreen);
        screen.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.DEBUG);
        root.addAppender(file);
        root.addAppender(screen);
        routeLibraries();
    }

    /** Sends what libraries log through SLF4J, from {@link #LIBRARY_LEVEL} up, to this log's file. */
    private void routeLibraries() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext)) {
            return; // An application that embeds Mayfly chose another provider: its configuration rules.
        }
        LoggerContext global = (LoggerContext) factory;
        Logger root = global.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.setLevel(LIBRARY_LEVEL);
        ToFile toFile = new ToFile(file);
        toFile.setContext(global);
        toFile.setName("mayfly-file");
        toFile.start();
        root.addAppender(toFile);
    }

    private <E extends EncoderBase<ILoggingEvent>> E started(E encoder) {
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }

    public void supervisorId(String id) {
        this.supervisorId = id;
    }

    public void info(String component, String message, Object... keyValues) {
        log(Level.INFO, component, message, keyValues);
    }

    public void warn(String component, String message, Object... keyValues) {
        log(Level.WARN, component, message, keyValues);
    }

    public void error(String component, String message, Object... keyValues) {
        log(Level.ERROR, component, message, keyValues);
    }

    /** Writes a line to the log file only (details the console does not need). */
    public void debug(String component, String message, Object... keyValues) {
        log(Level.DEBUG, component, message, keyValues);
    }

    /** An agent's progress report, as one console line ({@code Task t-1: reading files (40%)}). */
    public void progress(String taskId, Object message, double fraction) {
        String percent = fraction >= 0 && fraction <= 1 ? String.format(Locale.ROOT, " (%.0f%%)", fraction * 100) : "";
        info(ENTRY, "Task " + taskId + ": " + message + percent, "taskId", taskId, "fraction", fraction);
    }

    private void log(Level level, String component, String message, Object... keyValues) {
        // Mayfly's own lines carry the time of its clock and the supervisor's id; the rest are fields.
        LoggingEventBuilder event = context.getLogger(component).makeLoggingEventBuilder(slf4j(level))
                .setMessage(message).addKeyValue(TIMESTAMP, clock.instant().toString())
                .addKeyValue(SUPERVISOR_ID, supervisorId);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            event = event.addKeyValue(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        event.log();
    }

    private static org.slf4j.event.Level slf4j(Level level) {
        return org.slf4j.event.Level.valueOf(level.levelStr);
    }

    private static final String TIMESTAMP = "timestamp";
    private static final String SUPERVISOR_ID = "supervisorId";

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

    /**
     * A line as JSON: {@code timestamp, level, component, supervisorId, message}, then the fields. A
     * library's line has its logger as the component, and the time Logback gave it.
     */
    private final class JsonLines extends LineEncoder {
        @Override
        public byte[] encode(ILoggingEvent event) {
            Map<String, Object> fields = new LinkedHashMap<>();
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair pair : event.getKeyValuePairs()) {
                    fields.put(pair.key, pair.value);
                }
            }
            Map<String, Object> line = new LinkedHashMap<>();
            Object timestamp = fields.remove(TIMESTAMP);
            line.put(TIMESTAMP, timestamp != null ? timestamp : event.getInstant().toString());
            line.put("level", event.getLevel().levelStr.toLowerCase(Locale.ROOT));
            line.put("component", event.getLoggerName());
            Object id = fields.remove(SUPERVISOR_ID);
            line.put(SUPERVISOR_ID, id != null ? id : supervisorId);
            line.put("message", event.getThrowableProxy() == null ? event.getFormattedMessage()
                    : event.getFormattedMessage() + ": " + event.getThrowableProxy().getClassName() + ": "
                            + event.getThrowableProxy().getMessage());
            line.putAll(fields);
            return (Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A line for people: {@code [Orchestrator Entry] message}, {@code WARN: } before a warning's. */
    private static final class ReadableLines extends LineEncoder {
        @Override
        public byte[] encode(ILoggingEvent event) {
            String level = event.getLevel() == Level.INFO ? "" : event.getLevel().levelStr + ": ";
            return ("[" + title(event.getLoggerName()) + "] " + level + event.getFormattedMessage() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    /** One line an event, nothing before the first or after the last. */
    private abstract static class LineEncoder extends EncoderBase<ILoggingEvent> {
        @Override
        public byte[] headerBytes() {
            return null;
        }

        @Override
        public byte[] footerBytes() {
            return null;
        }
    }

    /**
     * The libraries' lines into this log's file. It lives in SLF4J's own context, so that a later log
     * that takes the libraries over stops this forwarder, never the file.
     */
    private static final class ToFile extends AppenderBase<ILoggingEvent> {
        private final RolledFile file;

        ToFile(RolledFile file) {
            this.file = file;
        }

        @Override
        protected void append(ILoggingEvent event) {
            if (file.isStarted()) {
                file.doAppend(event);
            }
        }
    }

    @Override
    public void close() {
        context.stop();
    }
}
