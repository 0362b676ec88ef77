package dev.mayfly.cli;

import dev.mayfly.errors.UsageException;
import dev.mayfly.log.LoggingProvider;
import java.io.PrintStream;

/** {@code mayfly}: the command-line entry point. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status (tests call this directly). */
    public static int execute(String... args) {
        return execute(System.out, System.err, args);
    }

    /** The same, with the usage, the version and the command line's errors on these streams. */
    static int execute(PrintStream out, PrintStream err, String... args) {
        LoggingProvider.choose(LibraryLogging.class);
        try {
            ArgumentParser.Invocation invocation = ArgumentParser.parse(MayflyCommand.spec(), args);
            if (invocation.request() == ArgumentParser.Request.RUN) {
                WarmUp.begin();
            }
            return switch (invocation.request()) {
                case HELP -> {
                    out.print(UsageText.of(invocation.spec()));
                    yield ExitCodes.OK;
                }
                case VERSION -> {
                    out.println(version());
                    yield ExitCodes.OK;
                }
                case RUN -> invocation.spec().command().call();
            };
        } catch (ArgumentParser.ArgumentError e) {
            err.println("mayfly: " + e.getMessage());
            err.println("Run '" + e.command() + " --help' for the options.");
            return ExitCodes.USAGE;
        } catch (UsageException e) {
            err.println("mayfly: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (Exception e) {
            err.println("mayfly: error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return ExitCodes.FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** {@code mayfly 0.1.0}: the version from the jar's manifest, or "development" when run from classes. */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return "mayfly " + (version == null ? "development" : version);
    }
}
