package dev.mayfly.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A task to submit: a batch line's fields (docs/batch.md), each optional but the prompt. What is not
 * given is the supervisor's setting (its agent, heap and memory caps, timeout, retries) or the
 * line's default (medium complexity, priority 0, the supervisor's folder).
 */
public final class TaskSubmission {

    private final Map<String, Object> fields;

    private TaskSubmission(Map<String, Object> fields) {
        this.fields = Map.copyOf(fields);
    }

    public static Builder builder(String prompt) {
        return new Builder(Objects.requireNonNull(prompt, "prompt"));
    }

    /** The fields as the API takes them (only those given). */
    public Map<String, Object> fields() {
        return fields;
    }

    /** Writes a command line as an agent: each word quoted, so spaces and quotes reach the program as they are. */
    public static String command(List<String> commandLine) {
        StringBuilder agent = new StringBuilder("command:");
        for (String word : commandLine) {
            agent.append(" '").append(word.replace("'", "'\\''")).append('\'');
        }
        return agent.toString();
    }

    public static final class Builder {
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Builder(String prompt) {
            fields.put("prompt", prompt);
        }

        /** {@code command:PROGRAM ARGS}, {@code java:CLASS} or a named agent (analyze, llm, probe, a plug-in's). */
        public Builder agent(String agent) {
            return put("agent", agent);
        }

        /** A command agent's command line, run without a shell. */
        public Builder command(List<String> commandLine) {
            return put("agent", TaskSubmission.command(commandLine));
        }

        /** How a command agent continues its own session when it runs again: a preset or a command line. */
        public Builder resume(String resume) {
            return put("resume", resume);
        }

        public Builder params(Map<String, String> params) {
            return put("params", Map.copyOf(params));
        }

        /** low, medium, high, or a number from 0 to 1. */
        public Builder complexity(String complexity) {
            return put("complexity", complexity);
        }

        /** Workers on or off for this task, whatever the supervisor's USE_WORKERS says. */
        public Builder workers(boolean workers) {
            return put("workers", workers);
        }

        public Builder heapMb(int heapMb) {
            return put("heapMb", heapMb);
        }

        /** The cap on the task's whole process tree. */
        public Builder memoryMb(int memoryMb) {
            return put("memoryMb", memoryMb);
        }

        public Builder timeout(Duration timeout) {
            return put("timeout", timeout.toMillis());
        }

        public Builder retries(int retries) {
            return put("retries", retries);
        }

        /** Whether a retry after out_of_memory gets 1.5 times the heap and tree cap. */
        public Builder growMemory(boolean growMemory) {
            return put("growMemory", growMemory);
        }

        /** Higher runs sooner when the pool is full. */
        public Builder priority(int priority) {
            return put("priority", priority);
        }

        /** The folder the agent works in: an existing folder on the supervisor's machine. */
        public Builder workDir(Path workDir) {
            return put("workDir", workDir.toAbsolutePath().toString());
        }

        /** Batch-line fields by their names, as they are (a command-line client passes its flags on so). */
        public Builder fields(Map<String, Object> more) {
            more.forEach(this::put);
            return this;
        }

        public TaskSubmission build() {
            return new TaskSubmission(fields);
        }

        private Builder put(String field, Object value) {
            fields.put(field, Objects.requireNonNull(value, field));
            return this;
        }
    }
}
