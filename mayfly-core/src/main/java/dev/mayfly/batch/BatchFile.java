package dev.mayfly.batch;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.api.Durations;
import dev.mayfly.config.AgentChooser;
import dev.mayfly.config.FileReasons;
import dev.mayfly.config.RetrySettings;
import dev.mayfly.config.Settings;
import dev.mayfly.config.StrictUtf8;
import dev.mayfly.errors.UsageException;
import dev.mayfly.json.Json;
import dev.mayfly.routing.Complexity;
import dev.mayfly.task.Prompts;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch file: one JSON task a line ({@code prompt} or {@code promptFile}, {@code agent, params,
 * complexity, workers, heapMb, memoryMb, timeout, retries, growMemory, priority}). Every line is
 * read and checked before anything runs; a line that cannot be run (one that is not UTF-8 too) is
 * reported by number, with what is wrong, and left out.
 */
public final class BatchFile {

    static final List<String> FIELDS = List.of("prompt", "promptFile", "agent", "resume", "params", "complexity", "workers", "heapMb", "memoryMb",
            "timeout", "retries", "growMemory", "priority");

    /**
     * @param entries the runnable tasks, in file order
     * @param problems one line per line left out: {@code line 4: …}
     */
    public record Plan(List<BatchEntry> entries, List<String> problems, Map<Integer, Map<String, Object>> fields) {

        /**
         * A runnable line as its fields, with the prompt its {@code promptFile} named read into
         * {@code prompt}: the line as a server is sent it, which may not see the file's folder.
         */
        public Map<String, Object> serverFields(BatchEntry entry) {
            Map<String, Object> line = new LinkedHashMap<>(fields.get(entry.line()));
            if (line.remove("promptFile") != null) {
                line.put("prompt", entry.request().prompt());
            }
            return line;
        }
    }

    private BatchFile() {}

    /**
     * Reads the file; a file that cannot be read at all is a usage error.
     *
     * @param forServer whether the plan keeps each line's own fields, which a server is sent
     *     ({@link Plan#serverFields}). A batch run here needs only its tasks: its lines' fields would
     *     stay in the supervisor's heap for the whole batch, about 0.7 KB a line.
     */
    public static Plan read(Path file, Settings settings, Path workDir, boolean forServer) {
        List<BatchEntry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<Integer, Map<String, Object>> fields = new LinkedHashMap<>();
        Path folder = file.toAbsolutePath().getParent();
        // A batch's lines mostly name the same agent and limits: its tasks share one copy of each, which
        // the supervisor holds for the whole batch.
        Map<Object, Object> shared = new HashMap<>();
        int number = 0;
        for (byte[] line : lines(file)) {
            number++;
            try {
                String text = StrictUtf8.decode("the line", line);
                if (!text.isBlank()) {
                    Map<String, Object> json = object(text);
                    entries.add(entry(number, json, settings, workDir, folder, shared));
                    if (forServer) {
                        fields.put(number, json);
                    }
                }
            } catch (UsageException e) {
                problems.add("line " + number + ": " + e.getMessage());
            }
        }
        return new Plan(entries, problems, fields);
    }

    /** The file's lines as bytes, so that one line that is not UTF-8 leaves out that line, not the file. */
    private static List<byte[]> lines(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UsageException("cannot read the batch file " + file + ": " + FileReasons.of(e));
        }
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                if (i < bytes.length || end > start) {
                    lines.add(Arrays.copyOfRange(bytes, start, end));
                }
                start = i + 1;
            }
        }
        return lines;
    }

    private static Map<String, Object> object(String text) {
        try {
            return Json.readObject(text);
        } catch (IOException e) {
            throw new UsageException("not a JSON object (" + e.getMessage().split("\n")[0] + ")");
        }
    }

    /**
     * One task given as a batch line's fields (the HTTP API's {@code POST /api/v1/tasks} takes the
     * same), checked as a line is: a bad field is a {@link UsageException} naming it.
     *
     * @param workDir the folder the agent works in, and where a {@code promptFile} is looked for
     */
    public static BatchEntry task(Map<String, Object> json, Settings settings, Path workDir) {
        return line(1, json, settings, workDir);
    }

    /** A batch's line given as its fields (the API's {@code POST /api/v1/batches}), checked as a file's line is. */
    public static BatchEntry line(int number, Map<String, Object> json, Settings settings, Path workDir) {
        return entry(number, json, settings, workDir, workDir, new HashMap<>());
    }

    /** @param shared the agents and limits of the lines read before, each the one copy its equals share */
    private static BatchEntry entry(int number, Map<String, Object> json, Settings settings, Path workDir, Path folder,
            Map<Object, Object> shared) {
        JsonFields.onlyKnown(json, FIELDS);
        String prompt = prompt(json, folder);
        String agent = JsonFields.string(json, "agent");
        AgentChooser.Choice choice = AgentChooser.choose("agent", agent, List.of(), prompt, settings, "resume",
                JsonFields.string(json, "resume"));
        Boolean workers = JsonFields.flag(json, "workers");
        Map<String, String> params = JsonFields.params(json.get("params"));
        AgentChooser.checkSettings(choice.spec(), params, settings);
        TaskLimits.Overrides limits = new TaskLimits.Overrides(heapMb(json.get("heapMb")),
                memoryMb(json.get("memoryMb"), settings), timeout(json.get("timeout")), retries(json.get("retries")),
                JsonFields.flag(json, "growMemory"));
        TaskRequest request = TaskRequest.builder(prompt, (AgentSpec) shared.computeIfAbsent(choice.spec(), same -> same))
                .params(params).complexity(complexity(json.get("complexity"))).workDir(workDir)
                .limits((TaskLimits) shared.computeIfAbsent(TaskLimits.of(settings, limits), same -> same))
                .priority(priority(json.get("priority"))).build();
        return new BatchEntry(number, request, workers);
    }

    /** The line's prompt: {@code prompt}, or the file {@code promptFile} names (relative to the batch file's folder). */
    private static String prompt(Map<String, Object> json, Path folder) {
        String text = JsonFields.string(json, "prompt");
        String file = JsonFields.string(json, "promptFile");
        if (text != null && file != null) {
            throw new UsageException("give 'prompt' or 'promptFile', not both");
        }
        if (file != null) {
            return Prompts.fromFile("promptFile", folder.resolve(file));
        }
        if (text == null) {
            throw new UsageException("'prompt' (or 'promptFile') is missing; every task needs one");
        }
        return Prompts.checked("'prompt'", text);
    }



    private static double complexity(Object value) {
        return value == null ? Complexity.MISSING : Complexity.parse("complexity", String.valueOf(value));
    }


    private static Integer heapMb(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Long && (Long) value >= 16 && (Long) value <= 1024 * 1024) {
            return ((Long) value).intValue();
        }
        throw UsageException.invalid("heapMb", String.valueOf(value), "a whole number of megabytes from 16 to 1048576");
    }

    private static Integer memoryMb(Object value, Settings settings) {
        if (value == null) {
            return null;
        }
        if (value instanceof Long) {
            return TaskLimits.checkMemoryMb("memoryMb", (Long) value, settings.memory());
        }
        throw UsageException.invalid("memoryMb", String.valueOf(value), settings.memory().acceptedCaps());
    }

    private static Integer retries(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Long && (Long) value >= 0 && (Long) value <= RetrySettings.MAX_RETRIES) {
            return ((Long) value).intValue();
        }
        throw UsageException.invalid("retries", String.valueOf(value), "a whole number from 0 to " + RetrySettings.MAX_RETRIES);
    }

    private static Duration timeout(Object value) {
        if (value == null) {
            return null;
        }
        try {
            Duration timeout = Durations.parse(String.valueOf(value));
            if (!timeout.isZero()) {
                return timeout;
            }
        } catch (IllegalArgumentException e) {
            // Falls through to the error.
        }
        throw UsageException.invalid("timeout", String.valueOf(value), Durations.ACCEPTED + ", above zero");
    }

    private static int priority(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Long && Math.abs((Long) value) <= 1_000_000) {
            return ((Long) value).intValue();
        }
        throw UsageException.invalid("priority", String.valueOf(value), "a whole number from -1000000 to 1000000");
    }
}
