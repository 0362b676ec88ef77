package dev.mayfly.config;

import dev.mayfly.units.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads {@link Settings}: a flag wins over the environment, the environment over the default.
 * Every value is checked as it comes in; a wrong one is a {@link UsageException} that names the
 * flag or variable it came from. Nothing is corrected quietly.
 */
public final class SettingsReader {

    public static final List<String> DEFAULT_LONG_KEYWORDS = List.of(
            "implement", "refactor", "analyze codebase", "migrate", "redesign", "architecture",
            "comprehensive", "extensive", "large-scale");
    public static final List<String> DEFAULT_SHORT_KEYWORDS = List.of(
            "fix", "update", "add", "remove", "delete", "rename", "quick");

    static final int MIN_HEAP_MB = 16;
    static final int MAX_HEAP_MB = 1024 * 1024;
    static final Duration MIN_REPORT_INTERVAL = Duration.ofMillis(100);

    /** Values given as command-line flags; null where the flag was not given. */
    public record Flags(Boolean workers, String home, String maxWorkers, String heapMb, String timeout,
            String logFormat, String classpath, String profile) {

        public static Flags none() {
            return new Flags(null, null, null, null, null, null, null, null);
        }
    }

    private final Map<String, String> environment;
    private final Path workingDir;

    public SettingsReader(Map<String, String> environment, Path workingDir) {
        this.environment = Map.copyOf(environment);
        this.workingDir = workingDir;
    }

    public Settings read(Flags flags) {
        boolean useWorkers = flags.workers() != null ? flags.workers()
                : value(null, null, "USE_WORKERS", "false", SettingsReader::parseFeatureFlag,
                        "true or false (case-insensitive), or unset for false");
        return new Settings(
                useWorkers,
                value("--home", flags.home(), "MAYFLY_HOME", ".mayfly", this::parsePath, "a folder path"),
                value("--max-workers", flags.maxWorkers(), "MAYFLY_MAX_WORKERS", "4",
                        text -> parseInt(text, 1, 256), "a whole number from 1 to 256"),
                value("--heap-mb", flags.heapMb(), "MAYFLY_HEAP_MB", "4096",
                        text -> parseInt(text, MIN_HEAP_MB, MAX_HEAP_MB),
                        "a whole number of megabytes from " + MIN_HEAP_MB + " to " + MAX_HEAP_MB),
                value("--timeout", flags.timeout(), "MAYFLY_TIMEOUT", "10m", text -> atLeast(text, Duration.ofMillis(1)),
                        Durations.ACCEPTED + ", above zero"),
                value(null, null, "MAYFLY_QUEUE_CAPACITY", "1000", text -> parseInt(text, 1, 1_000_000),
                        "a whole number from 1 to 1000000"),
                value(null, null, "MAYFLY_MEMORY_REPORT_INTERVAL", "10s", text -> atLeast(text, MIN_REPORT_INTERVAL),
                        Durations.ACCEPTED + ", 100ms or more"),
                value(null, null, "MAYFLY_GRACE_PERIOD", "5s", Durations::parse, Durations.ACCEPTED),
                value(null, null, "MAYFLY_HEAP_WARN_PERCENT", "80", SettingsReader::parsePercent,
                        "a number of percent above 0 and at most 100"),
                Optional.ofNullable(environment.get("MAYFLY_AGENT")).filter(text -> !text.isBlank()),
                value("--classpath", flags.classpath(), "MAYFLY_CLASSPATH", "", this::parseClasspath,
                        "paths separated by ':'"),
                value("--log-format", flags.logFormat(), "MAYFLY_LOG_FORMAT", "text",
                        text -> LogFormat.valueOf(text.toUpperCase(Locale.ROOT)), "text or json"),
                value(null, null, "MAYFLY_LONG_KEYWORDS", String.join(",", DEFAULT_LONG_KEYWORDS),
                        SettingsReader::parseKeywords, "keywords separated by commas"),
                value(null, null, "MAYFLY_SHORT_KEYWORDS", String.join(",", DEFAULT_SHORT_KEYWORDS),
                        SettingsReader::parseKeywords, "keywords separated by commas"),
                value("--profile", flags.profile(), "MAYFLY_PROFILE", "default", Profile::parse, "default or production"),
                value(null, null, "MAYFLY_ROTATE_PERCENT", "70", SettingsReader::parsePercent,
                        "a number of percent above 0 and at most 100"),
                value(null, null, "MAYFLY_MAX_ROTATIONS", "50", text -> parseInt(text, 0, 100_000),
                        "a whole number from 0 to 100000"));
    }

    /** Parses one setting, taking the flag, else the variable, else the default. */
    private <T> T value(String flag, String flagValue, String variable, String defaultValue,
            Function<String, T> parser, String accepted) {
        String name = flagValue != null ? flag : variable;
        String text = flagValue != null ? flagValue : environment.getOrDefault(variable, defaultValue);
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw UsageException.invalid(name, text, accepted);
        }
    }

    /** USE_WORKERS: the seeds' flag, where anything but true/false is a mistake worth saying. */
    public static boolean parseFeatureFlag(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("true")) {
            return true;
        }
        if (value.equals("false") || value.isEmpty()) {
            return false;
        }
        throw new IllegalArgumentException(text);
    }

    private Path parsePath(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("empty path");
        }
        return workingDir.resolve(text).normalize();
    }

    private List<Path> parseClasspath(String text) {
        List<Path> paths = new ArrayList<>();
        for (String entry : text.split(":")) {
            if (!entry.isBlank()) {
                paths.add(parsePath(entry));
            }
        }
        return paths;
    }

    static int parseInt(String text, int min, int max) {
        int value = Integer.parseInt(text.trim());
        if (value < min || value > max) {
            throw new IllegalArgumentException("out of range");
        }
        return value;
    }

    private static Duration atLeast(String text, Duration minimum) {
        Duration duration = Durations.parse(text);
        if (duration.compareTo(minimum) < 0) {
            throw new IllegalArgumentException("too short");
        }
        return duration;
    }

    private static double parsePercent(String text) {
        double value = Double.parseDouble(text.trim());
        if (!(value > 0 && value <= 100)) {
            throw new IllegalArgumentException("out of range");
        }
        return value;
    }

    private static List<String> parseKeywords(String text) {
        List<String> keywords = Arrays.stream(text.split(","))
                .map(String::trim)
                .filter(word -> !word.isEmpty())
                .map(word -> word.toLowerCase(Locale.ROOT))
                .toList();
        if (keywords.isEmpty()) {
            throw new IllegalArgumentException("no keywords");
        }
        return keywords;
    }
}
