package dev.mayfly.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration in the {@code mayfly} command (a service of Logback's, named in
 * {@code META-INF/services}): what libraries log through SLF4J (the SQLite driver, HikariCP,
 * Flyway) reaches standard error from a warning up, one line each, until a supervisor's
 * {@link dev.mayfly.log.OrchestratorLog} sends it to its file instead. Without it, Logback would
 * look for a configuration file on every jar of the classpath and then print every library's debug
 * lines on the console; the look alone was about 15 ms of every short command. Only the command
 * line has this service: an application that embeds Mayfly keeps its own configuration.
 */
public final class LibraryLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
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
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code WARN com.zaxxer.hikari.pool.HikariPool: …}: the level, who said it, what. */
    private static final class OneLine extends LayoutBase<ILoggingEvent> {
        @Override
        public String doLayout(ILoggingEvent event) {
            return event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage() + System.lineSeparator();
        }
    }
}
