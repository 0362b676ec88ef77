package dev.mayfly.cli;

import dev.mayfly.config.HomeFolder;
import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.errors.UsageException;
import dev.mayfly.log.OrchestratorLog;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Options every command that touches the store shares. */
final class CommonOptions {

    String home;
    String profile;
    String logFormat;

    /**
     * The command's one clock: every time it records, and every time it reads against the store's,
     * comes from it (the store's migrations, the orchestrator, in-process tasks, batches, runs).
     */
    private final Clock clock = Clock.systemUTC();

    /** Adds these options to {@code spec}. */
    CommandSpec addTo(CommandSpec spec) {
        return spec.value("--home", "DIR", "Where the store, logs and task folders live (MAYFLY_HOME, default ./.mayfly).",
                        value -> home = value)
                .value("--profile", "PROFILE", "default or production: JVM options for long-lived supervisors and "
                        + "examinable workers (MAYFLY_PROFILE; docs/production.md).", value -> profile = value)
                .value("--log-format", "FORMAT", "Console log lines: text or json (MAYFLY_LOG_FORMAT, default text). The "
                        + "log file is always JSON.", value -> logFormat = value);
    }

    Clock clock() {
        return clock;
    }

    /** Settings from these flags and the command's own, the environment, and the defaults. */
    Settings settings(SettingsReader.Flags commandFlags) {
        return new SettingsReader(System.getenv(), Path.of("").toAbsolutePath())
                .read(flags(commandFlags));
    }

    /** The command's flags with these. */
    SettingsReader.Flags flags(SettingsReader.Flags commandFlags) {
        return commandFlags.home(home).logFormat(logFormat).profile(profile);
    }

    /** The orchestrator log: the file always, the console on standard error. */
    OrchestratorLog log(Settings settings, PrintStream console) {
        return log(settings, console, true);
    }

    /** @param consoleInfo false to keep info lines off the console (they still reach the file) */
    OrchestratorLog log(Settings settings, PrintStream console, boolean consoleInfo) {
        // The log is the first thing a command writes: a home it cannot write to is named here, with why.
        HomeFolder.checkWritable(settings.home());
        try {
            return new OrchestratorLog(settings.logFile(), console, settings.logFormat(), consoleInfo, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the log " + settings.logFile() + ": " + e.getMessage(), e);
        }
    }

    /** The folder agents work in: {@code --workdir}, or the current folder; it must exist. */
    static Path workDir(Path given) {
        Path folder = given == null ? Path.of("").toAbsolutePath() : given.toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw UsageException.invalid("--workdir", String.valueOf(given), "an existing folder");
        }
        return folder;
    }
}
