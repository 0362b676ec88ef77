package dev.mayfly.log;

import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Names the process's SLF4J provider, unless one was named: naming it keeps SLF4J from looking
 * further (the agent modules bring slf4j-nop for the workers, where their libraries' lines are not
 * wanted, and SLF4J would warn of two providers). Call it before any library logs (the SQLite driver
 * logs through SLF4J too). A class of its own, so that naming one does not first name Logback's, as
 * loading {@link OrchestratorLog} does.
 */
public final class LoggingProvider {

    private LoggingProvider() {}

    public static void choose(Class<? extends SLF4JServiceProvider> provider) {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", provider.getName());
            // SLF4J says on standard error that it took the named provider; Mayfly's output is not the place.
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
    }
}
