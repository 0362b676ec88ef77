package dev.mayfly.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LogbackServiceProvider;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * SLF4J's provider in the {@code mayfly} command: Logback, configured here in code. What libraries
 * log through SLF4J (the SQLite driver, HikariCP, Flyway) reaches standard error from a warning up,
 * one line each, until a supervisor's {@link dev.mayfly.log.OrchestratorLog} sends it to its file
 * instead.
 *
 * <p>Logback's own provider would first configure itself: it asks every jar of the classpath for a
 * configuration service and for configuration files, which was 40 ms of a 300 ms {@code mayfly
 * status} with the class-data archive (docs/benchmarks.md, "The command line"), and without a file it
 * would print every library's debug lines. Only the command line uses this provider: an application
 * that embeds Mayfly keeps its own.
 */
public final class LibraryLogging implements SLF4JServiceProvider {

    private final LoggerContext context = new LoggerContext();
    private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();
    private final IMarkerFactory markers = new BasicMarkerFactory();

    @Override
    public void initialize() {
        context.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
        context.setMDCAdapter(mdc);
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(new OneLine());
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(console);
        context.start();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return context;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return LogbackServiceProvider.REQUESTED_API_VERSION;
    }

    /** {@code WARN com.zaxxer.hikari.pool.HikariPool: …}: the level, who said it, what. */
    private static final class OneLine extends LayoutBase<ILoggingEvent> {
        @Override
        public String doLayout(ILoggingEvent event) {
            return event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage() + System.lineSeparator();
        }
    }
}
