package dev.mayfly.config;

import dev.mayfly.api.Durations;
import dev.mayfly.errors.UsageException;
import dev.mayfly.log.LogFormat;
import dev.mayfly.memory.CgroupDelegation;
import dev.mayfly.memory.CgroupLocation;
import dev.mayfly.memory.Enforcement;
import dev.mayfly.memory.HostMemory;
import dev.mayfly.memory.LinuxHostMemory;
import dev.mayfly.memory.MemorySettings;
import java.math.BigDecimal;
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
    /** A beat every 100 ms writes to the store ten times a second: no need to go lower. */
    static final Duration MIN_HEARTBEAT = Duration.ofMillis(100);

    /** Values given as command-line flags; null where the flag was not given. Set the ones given, in any order. */
    public static final class Flags {
        private Boolean workers;
        private String home;
        private String heapMb;
        private String timeout;
        private String logFormat;
        private String classpath;
        private String profile;
        private String memoryMb;
        private String retries;
        private Boolean growMemory;

        public static Flags none() {
            return new Flags();
        }

        public Flags workers(Boolean value) {
            workers = value;
            return this;
        }

        public Flags home(String value) {
            home = value;
            return this;
        }

        public Flags heapMb(String value) {
            heapMb = value;
            return this;
        }

        public Flags timeout(String value) {
            timeout = value;
            return this;
        }

        public Flags logFormat(String value) {
            logFormat = value;
            return this;
        }

        public Flags classpath(String value) {
            classpath = value;
            return this;
        }

        public Flags profile(String value) {
            profile = value;
            return this;
        }

        public Flags memoryMb(String value) {
            memoryMb = value;
            return this;
        }

        public Flags retries(String value) {
            retries = value;
            return this;
        }

        public Flags growMemory(Boolean value) {
            growMemory = value;
            return this;
        }
    }

    private final Map<String, String> environment;
    private final Path workingDir;
    private final HostMemory host;
    private final CgroupLocation cgroups;

    public SettingsReader(Map<String, String> environment, Path workingDir) {
        this(environment, workingDir, LinuxHostMemory.ofThisProcess(), CgroupLocation.ofThisProcess());
    }

    /** @param host what this host's memory is: the defaults and bounds of the memory settings follow it */
    public SettingsReader(Map<String, String> environment, Path workingDir, HostMemory host) {
        this(environment, workingDir, host, CgroupLocation.none());
    }

    /** @param cgroups where this process sits in the cgroup hierarchies (whether the cgroup enforcement is possible) */
    public SettingsReader(Map<String, String> environment, Path workingDir, HostMemory host, CgroupLocation cgroups) {
        this.environment = Map.copyOf(environment);
        this.workingDir = workingDir;
        this.host = host;
        this.cgroups = cgroups;
    }

    public Settings read(Flags flags) {
        boolean useWorkers = flags.workers != null ? flags.workers
                : value(null, null, "USE_WORKERS", "false", SettingsReader::parseFeatureFlag,
                        "true or false (case-insensitive), or unset for false");
        Path home = home(flags);
        int maxWorkers = value(null, null, "MAYFLY_MAX_WORKERS", "4", text -> parseInt(text, 1, 256),
                "a whole number from 1 to 256");
        return Settings.builder()
                .useWorkers(useWorkers)
                .home(home)
                .maxWorkers(maxWorkers)
                .heapMb(value("--heap-mb", flags.heapMb, "MAYFLY_HEAP_MB", "4096",
                        text -> parseInt(text, MIN_HEAP_MB, MAX_HEAP_MB),
                        "a whole number of megabytes from " + MIN_HEAP_MB + " to " + MAX_HEAP_MB))
                .timeout(value("--timeout", flags.timeout, "MAYFLY_TIMEOUT", "10m",
                        text -> atLeast(text, Duration.ofMillis(1)), Durations.ACCEPTED + ", above zero"))
                .queueCapacity(value(null, null, "MAYFLY_QUEUE_CAPACITY", "1000", text -> parseInt(text, 1, 1_000_000),
                        "a whole number from 1 to 1000000"))
                .memoryReportInterval(value(null, null, "MAYFLY_MEMORY_REPORT_INTERVAL", "10s",
                        text -> atLeast(text, MIN_REPORT_INTERVAL), Durations.ACCEPTED + ", 100ms or more"))
                .gracePeriod(value(null, null, "MAYFLY_GRACE_PERIOD", "5s", Durations::parse, Durations.ACCEPTED))
                .warnPercent(value(null, null, "MAYFLY_HEAP_WARN_PERCENT", "80", SettingsReader::parsePercent,
                        "a number of percent above 0 and at most 100"))
                .defaultAgent(Optional.ofNullable(environment.get("MAYFLY_AGENT")).filter(text -> !text.isBlank()))
                .agentClasspath(value("--classpath", flags.classpath, "MAYFLY_CLASSPATH", "", this::parseClasspath,
                        "paths separated by ':'"))
                .logFormat(value("--log-format", flags.logFormat, "MAYFLY_LOG_FORMAT", "text",
                        text -> LogFormat.valueOf(text.toUpperCase(Locale.ROOT)), "text or json"))
                .longKeywords(value(null, null, "MAYFLY_LONG_KEYWORDS", String.join(",", DEFAULT_LONG_KEYWORDS),
                        SettingsReader::parseKeywords, "keywords separated by commas"))
                .shortKeywords(value(null, null, "MAYFLY_SHORT_KEYWORDS", String.join(",", DEFAULT_SHORT_KEYWORDS),
                        SettingsReader::parseKeywords, "keywords separated by commas"))
                .profile(value("--profile", flags.profile, "MAYFLY_PROFILE", "default", Profile::parse,
                        "default or production"))
                .rotatePercent(value(null, null, "MAYFLY_ROTATE_PERCENT", "70", SettingsReader::parsePercent,
                        "a number of percent above 0 and at most 100"))
                .maxRotations(value(null, null, "MAYFLY_MAX_ROTATIONS", "50", text -> parseInt(text, 0, 100_000),
                        "a whole number from 0 to 100000"))
                .memory(memory(flags))
                .retry(retry(flags))
                .disk(disk())
                .resume(resume())
                .store(store(home))
                .heartbeat(value(null, null, "MAYFLY_HEARTBEAT", "10s", text -> atLeast(text, MIN_HEARTBEAT),
                        Durations.ACCEPTED + ", 100ms or more"))
                .standby(standby(maxWorkers))
                .build();
    }

    /** MAYFLY_STORE_URL, where a URL that cannot be read is named without the password it may hold. */
    private StoreLocation store(Path home) {
        String text = environment.getOrDefault("MAYFLY_STORE_URL", StoreLocation.DEFAULT);
        try {
            return StoreLocation.parse(text, home, environment);
        } catch (IllegalArgumentException e) {
            throw UsageException.invalid("MAYFLY_STORE_URL", StoreLocation.redacted(text), StoreLocation.ACCEPTED);
        }
    }

    /** MAYFLY_MIN_WORKERS, at most MAYFLY_MAX_WORKERS, and MAYFLY_STANDBY_IDLE. */
    private StandbySettings standby(int maxWorkers) {
        return new StandbySettings(
                value(null, null, "MAYFLY_MIN_WORKERS", "0", text -> parseInt(text, 0, maxWorkers),
                        "a whole number from 0 to MAYFLY_MAX_WORKERS (" + maxWorkers + ")"),
                value(null, null, "MAYFLY_STANDBY_IDLE", StandbySettings.DEFAULT_IDLE, Durations::parse,
                        Durations.ACCEPTED + ", or 0 for no ready workers beyond MAYFLY_MIN_WORKERS"));
    }

    private DiskSettings disk() {
        return new DiskSettings(
                value(null, null, "MAYFLY_TASK_LOG_MAX_MB", Integer.toString(DiskSettings.DEFAULT_TASK_LOG_MAX_MB),
                        text -> parseInt(text, 1, 1024 * 1024), "a whole number of megabytes from 1 to 1048576"),
                value(null, null, "MAYFLY_DISK_RESERVE_MB", Integer.toString(DiskSettings.DEFAULT_RESERVE_MB),
                        text -> parseInt(text, 0, Integer.MAX_VALUE), "a whole number of megabytes, 0 or more"));
    }

    private ResumeSettings resume() {
        double rotatePercent = value(null, null, "MAYFLY_ROTATE_PERCENT", "70", SettingsReader::parsePercent,
                "a number of percent above 0 and at most 100");
        return new ResumeSettings(
                Optional.ofNullable(environment.get("MAYFLY_RESUME_WITH")).filter(text -> !text.isBlank()),
                value(null, null, "MAYFLY_CONTINUE_PROMPT", ResumeWith.DEFAULT_PROMPT, SettingsReader::notBlank,
                        "the text a resumed agent is told, not blank"),
                value(null, null, "MAYFLY_ROTATE_FORCE_PERCENT", Double.toString(Math.max(90, rotatePercent)), text -> {
                    double percent = parsePercent(text);
                    if (percent < rotatePercent) {
                        throw new IllegalArgumentException(text);
                    }
                    return percent;
                }, "a number of percent from MAYFLY_ROTATE_PERCENT (" + percentText(rotatePercent) + ") to 100"),
                value(null, null, "MAYFLY_ROTATE_QUIET", "2s", Durations::parse, Durations.ACCEPTED));
    }

    private MemorySettings memory(Flags flags) {
        long usable = host.usableMb();
        int reserve = value(null, null, "MAYFLY_MEMORY_RESERVE_MB", Integer.toString(MemorySettings.defaultReserveMb(usable)),
                text -> parseInt(text, 0, usable < 0 ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, usable)),
                "a whole number of megabytes from 0" + (usable < 0 ? "" : " to this host's " + usable));
        int floor = value(null, null, "MAYFLY_HOST_FLOOR_MB", Integer.toString(reserve / 2),
                text -> parseInt(text, 0, Math.max(0, reserve)),
                "a whole number of megabytes from 0 to the reserve (" + reserve + ")");
        MemorySettings bounds = new MemorySettings(null, reserve, floor, usable, Enforcement.AUTO, true, 80);
        Integer cap = value("--memory-mb", flags.memoryMb, "MAYFLY_MEMORY_MB", "",
                text -> text.isBlank() ? null : parseInt(text, MemorySettings.MIN_CAP_MB, bounds.maxCapMb()),
                bounds.acceptedCaps());
        return new MemorySettings(cap, reserve, floor, usable,
                value(null, null, "MAYFLY_MEMORY_ENFORCEMENT", "auto", this::parseEnforcement, cgroupNote()),
                value(null, null, "MAYFLY_NODE_HEAP", "auto", SettingsReader::parseNodeHeap, "auto or off"),
                value(null, null, "MAYFLY_MEMORY_WARN_PERCENT", "80", SettingsReader::parsePercent,
                        "a number of percent above 0 and at most 100"));
    }

    private RetrySettings retry(Flags flags) {
        int retries = value("--retries", flags.retries, "MAYFLY_RETRIES", "0",
                text -> parseInt(text, 0, RetrySettings.MAX_RETRIES), "a whole number from 0 to " + RetrySettings.MAX_RETRIES);
        boolean grow = flags.growMemory != null ? flags.growMemory
                : value(null, null, "MAYFLY_GROW_MEMORY", "true", SettingsReader::parseFeatureFlag, "true or false");
        return new RetrySettings(retries,
                value(null, null, "MAYFLY_RETRY_DELAY", "2s", text -> atLeast(text, Duration.ofMillis(1)),
                        Durations.ACCEPTED + ", above zero"),
                grow);
    }

    /** auto, watched, or cgroup where this process's cgroup v2 is delegated (checked without changing anything). */
    private Enforcement parseEnforcement(String text) {
        Enforcement enforcement = Enforcement.parse(text);
        if (enforcement == Enforcement.CGROUP && CgroupDelegation.whyNot(cgroups).isPresent()) {
            throw new IllegalArgumentException("cgroup not usable");
        }
        return enforcement;
    }

    private String cgroupNote() {
        return CgroupDelegation.whyNot(cgroups).map(why -> "auto or watched (cgroup needs a delegated cgroup v2; " + why + ")")
                .orElse("auto, watched or cgroup");
    }

    private static boolean parseNodeHeap(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "auto":
                return true;
            case "off":
                return false;
            default:
                throw new IllegalArgumentException(text);
        }
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

    private Path home(Flags flags) {
        Path home = value("--home", flags.home, "MAYFLY_HOME", ".mayfly", this::parsePath, "a folder path");
        HomeFolder.checkReadable(flags.home != null ? "--home" : "MAYFLY_HOME", home);
        return home;
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

    /**
     * A percent as people write it: 70, 72.5. Whole ones without BigDecimal, whose start took 20 ms of
     * every command on JDK 25 (docs/benchmarks.md, "The command line").
     */
    static String percentText(double percent) {
        if (percent == Math.rint(percent) && Math.abs(percent) < 1e15) {
            return Long.toString((long) percent);
        }
        return BigDecimal.valueOf(percent).stripTrailingZeros().toPlainString();
    }

    private static double parsePercent(String text) {
        double value = Double.parseDouble(text.trim());
        if (!(value > 0 && value <= 100)) {
            throw new IllegalArgumentException("out of range");
        }
        return value;
    }

    private static String notBlank(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException(text);
        }
        return text;
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
