package dev.mayfly.worker;

import dev.mayfly.agent.AgentOutcome;
import dev.mayfly.agent.AgentSpec;
import dev.mayfly.api.ContextSegment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message of the channel between a supervisor and its worker, as a type of its own: each record
 * writes its fields ({@link #fields()}) and reads them back ({@link #read}), in this one file. On the
 * wire a message is one JSON object, its {@code type} beside its fields.
 *
 * <p>Supervisor to worker: {@link Task}, {@link Cancel}, {@link Rotate}. Worker to supervisor:
 * {@link Hello}, then {@link WorkerMessage}s: {@link MemoryReport}, {@link MemoryWarning},
 * {@link Progress}, {@link Checkpoint}, {@link Event}, {@link ContextPiece}, {@link Result},
 * {@link Rotated}, {@link Exiting}. A type this side does not know reads as {@link Unknown}, so that
 * a newer peer does not break an older one.
 */
public sealed interface ChannelMessage {

    /** The key of the message's type on the wire. */
    String TYPE = "type";

    /** The message's type on the wire. */
    String type();

    /** The message's fields on the wire, its type left out. */
    Map<String, Object> fields();

    /** The message a JSON object on the wire holds. */
    static ChannelMessage read(Map<String, Object> wire) throws IOException {
        String type = String.valueOf(wire.get(TYPE));
        try {
            switch (type) {
                case Hello.TYPE: return new Hello(text(wire, "workerId"), text(wire, "secret"));
                case Task.TYPE: return Task.read(wire);
                case Cancel.TYPE: return new Cancel(text(wire, "reason"));
                case Rotate.TYPE: return new Rotate(Boolean.TRUE.equals(wire.get("forced")));
                case MemoryReport.TYPE: return new MemoryReport(MemorySample.fromMap(wire));
                case MemoryWarning.TYPE: return new MemoryWarning(MemorySample.fromMap(wire), number(wire, "thresholdPercent"));
                case Progress.TYPE: return new Progress(text(wire, "message"), number(wire, "fraction"));
                case Checkpoint.TYPE: return new Checkpoint(text(wire, "state"));
                case Event.TYPE: return Event.read(wire);
                case ContextPiece.TYPE: return ContextPiece.read(wire);
                case Result.TYPE: return new Result(AgentOutcome.fromMap(wire), number(wire, "heapPeakMb"),
                        number(wire, "rssPeakMb"));
                case Rotated.TYPE: return new Rotated(wire.get("livePercent") instanceof Number
                        ? ((Number) wire.get("livePercent")).doubleValue() : null);
                case Exiting.TYPE: return new Exiting();
                default: return new Unknown(type);
            }
        } catch (ClassCastException | NullPointerException e) {
            throw new IOException("a malformed " + type + " message: " + e.getMessage(), e);
        }
    }

    private static String text(Map<String, Object> wire, String key) {
        Object value = wire.get(key);
        return value == null ? null : String.valueOf(value);
    }

    private static double number(Map<String, Object> wire, String key) {
        Object value = wire.get(key);
        return value instanceof Number ? ((Number) value).doubleValue() : -1;
    }

    /** What the supervisor does with each message its worker sends once it has said hello. */
    interface FromWorker {
        void memoryReport(MemoryReport message);

        void memoryWarning(MemoryWarning message);

        void progress(Progress message);

        void checkpoint(Checkpoint message);

        void event(Event message);

        void contextPiece(ContextPiece message);

        void result(Result message);

        void rotated(Rotated message);

        void exiting(Exiting message);

        void unknown(Unknown message);
    }

    /** What the worker does with each message its supervisor sends. */
    interface FromSupervisor {
        void task(Task message);

        void cancel(Cancel message);

        void rotate(Rotate message);
    }

    /** A message a worker sends after its hello, handed to the supervisor's handler by its type. */
    sealed interface WorkerMessage extends ChannelMessage {
        void handleWith(FromWorker handler);
    }

    /** A message a supervisor sends, handed to the worker's handler by its type. */
    sealed interface SupervisorMessage extends ChannelMessage {
        void handleWith(FromSupervisor handler);
    }

    /** The worker's first message: who it is, and the secret its supervisor gave it on standard input. */
    record Hello(String workerId, String secret) implements ChannelMessage {
        static final String TYPE = "hello";

        public String type() {
            return TYPE;
        }

        public Map<String, Object> fields() {
            return Map.of("workerId", workerId, "secret", secret);
        }
    }

    /**
     * The task to run, with the worker's memory settings.
     *
     * @param checkpoint the state to continue from, or null on a fresh start
     * @param stream whether the command agent's standard output is also copied to its stream file
     * @param environment what every process the task starts gets in its environment (the task's mark,
     *     a Node heap limit): a worker started before its task was known does not have them itself
     */
    record Task(String taskId, String prompt, Map<String, String> params, AgentSpec agent, Path workDir, Path outputDir,
            long reportIntervalMs, double warnPercent, double rotatePercent, String checkpoint, boolean stream,
            Map<String, String> environment) implements SupervisorMessage {
        static final String TYPE = "task";

        public String type() {
            return TYPE;
        }

        public Map<String, Object> fields() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("taskId", taskId);
            fields.put("prompt", prompt);
            fields.put("params", params);
            fields.put("agent", agent.toMap());
            fields.put("workDir", workDir.toString());
            fields.put("outputDir", outputDir.toString());
            fields.put("reportIntervalMs", reportIntervalMs);
            fields.put("warnPercent", warnPercent);
            fields.put("rotatePercent", rotatePercent);
            fields.put("checkpoint", checkpoint);
            fields.put("stream", stream);
            fields.put("environment", environment);
            return fields;
        }

        @SuppressWarnings("unchecked")
        static Task read(Map<String, Object> wire) {
            return new Task((String) wire.get("taskId"), (String) wire.get("prompt"),
                    (Map<String, String>) wire.getOrDefault("params", Map.of()),
                    AgentSpec.fromMap((Map<String, Object>) wire.get("agent")), Path.of((String) wire.get("workDir")),
                    Path.of((String) wire.get("outputDir")), ((Number) wire.get("reportIntervalMs")).longValue(),
                    ((Number) wire.get("warnPercent")).doubleValue(), ((Number) wire.get("rotatePercent")).doubleValue(),
                    (String) wire.get("checkpoint"), Boolean.TRUE.equals(wire.get("stream")),
                    (Map<String, String>) wire.getOrDefault("environment", Map.of()));
        }

        public void handleWith(FromSupervisor handler) {
            handler.task(this);
        }
    }

    /** Please stop: the task timed out, was cancelled, or its supervisor is shutting down. */
    record Cancel(String reason) implements SupervisorMessage {
        static final String TYPE = "cancel";

        public String type() {
            return TYPE;
        }

        public Map<String, Object> fields() {
            return Map.of("reason", reason);
        }

        public void handleWith(FromSupervisor handler) {
            handler.cancel(this);
        }
    }

    /**
     * A command agent's tree passed the rotation threshold: stop it so that its session continues in
     * a fresh worker, once it runs no tool, or at once when {@code forced}.
     */
    record Rotate(boolean forced) implements SupervisorMessage {
        static final String TYPE = "rotate";

        public String type() {
            return TYPE;
        }

        public Map<String, Object> fields() {
            return Map.of("forced", forced);
        }

        public void handleWith(FromSupervisor handler) {
            handler.rotate(this);
        }
    }

    /** A memory sample of the worker JVM. */
    record MemoryReport(MemorySample sample) implements WorkerMessage {
        static final String TYPE = "memory_report";

        public String type() {
            return TYPE;
        }

        public Map<String, Object> fields() {
            return sample.toMap();
        }

        public void handleWith(FromWorker handler) {
            handler.memoryReport(this);
        }
    }

    /** The heap passed the warning threshold, in percent of its cap. */
    record MemoryWarning(MemorySample sample, double thresholdPercent) implements WorkerMessage {
        static final String TYPE = "memory_warning";

        public String type() {
            return TYPE;
        }

        public Map<String, Object> fields() {
            Map<String, Object> fields = new LinkedHashMap<>(sample.toMap());
            fields.put("thresholdPercent", thresholdPercent);
            return fields;
        }

        public void handleWith(FromWorker handler) {
            handler.memoryWarning(this);
        }
    }

    /** The agent's own progress; {@code fraction} negative when unknown. */
    record Progress(String message, double fraction) implements WorkerMessage {
        static final String TYPE = "progress";

        public String type() {
            return TYPE;
        }

        public Map<String, Object> fields() {
            return Map.of("message", String.valueOf(message), "fraction", fraction);
        }

        public void handleWith(FromWorker handler) {
            handler.progress(this);
        }
    }

    /** The agent saved its state. */
    record Checkpoint(String state) implements WorkerMessage {
        static final String TYPE = "checkpoint";

        public String type() {
            return TYPE;
        }

        public Map<String, Object> fields() {
            return Map.of("state", state);
        }

        public void handleWith(FromWorker handler) {
            handler.checkpoint(this);
        }
    }

    /** An event the agent recorded: its type and its data. */
    record Event(String event, Map<String, Object> data) implements WorkerMessage {
        static final String TYPE = "event";

        public String type() {
            return TYPE;
        }

        public Map<String, Object> fields() {
            return Map.of("event", event, "data", data);
        }

        @SuppressWarnings("unchecked")
        static Event read(Map<String, Object> wire) {
            Object data = wire.get("data");
            return new Event(String.valueOf(wire.get("event")), data instanceof Map ? (Map<String, Object>) data : Map.of());
        }

        public void handleWith(FromWorker handler) {
            handler.event(this);
        }
    }

    /** A piece of the agent's context to keep ({@link ContextSegment}). */
    record ContextPiece(ContextSegment segment) implements WorkerMessage {
        static final String TYPE = "context_segment";

        public String type() {
            return TYPE;
        }

        public Map<String, Object> fields() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("seq", segment.seq());
            fields.put("tier", segment.tier());
            fields.put("role", segment.role());
            fields.put("content", segment.content());
            fields.put("tokens", segment.tokens());
            fields.put("summarisesThrough", segment.summarisesThrough());
            return fields;
        }

        static ContextPiece read(Map<String, Object> wire) {
            return new ContextPiece(new ContextSegment(((Number) wire.get("seq")).longValue(), (String) wire.get("tier"),
                    (String) wire.get("role"), (String) wire.get("content"), ((Number) wire.get("tokens")).longValue(),
                    ((Number) wire.get("summarisesThrough")).longValue()));
        }

        public void handleWith(FromWorker handler) {
            handler.contextPiece(this);
        }
    }

    /** The task's outcome, with the worker JVM's heap and resident peaks. */
    record Result(AgentOutcome outcome, double heapPeakMb, double rssPeakMb) implements WorkerMessage {
        static final String TYPE = "result";

        public String type() {
            return TYPE;
        }

        public Map<String, Object> fields() {
            Map<String, Object> fields = new LinkedHashMap<>(outcome.toMap());
            fields.put("heapPeakMb", heapPeakMb);
            fields.put("rssPeakMb", rssPeakMb);
            return fields;
        }

        public void handleWith(FromWorker handler) {
            handler.result(this);
        }
    }

    /**
     * The worker ends so that the task continues in a fresh one: after a checkpoint, with the live
     * heap in percent of its cap; after a command agent stopped for its session to continue, with none.
     */
    record Rotated(Double livePercent) implements WorkerMessage {
        static final String TYPE = "rotated";

        public String type() {
            return TYPE;
        }

        public Map<String, Object> fields() {
            return livePercent == null ? Map.of("command", true) : Map.of("livePercent", livePercent);
        }

        public void handleWith(FromWorker handler) {
            handler.rotated(this);
        }
    }

    /** The JVM is shutting down before a result was sent: the agent called System.exit. */
    record Exiting() implements WorkerMessage {
        static final String TYPE = "exiting";

        public String type() {
            return TYPE;
        }

        public Map<String, Object> fields() {
            return Map.of();
        }

        public void handleWith(FromWorker handler) {
            handler.exiting(this);
        }
    }

    /** A message of a type this side does not know (a newer peer's). */
    record Unknown(String type) implements WorkerMessage {
        public Map<String, Object> fields() {
            return Map.of();
        }

        public void handleWith(FromWorker handler) {
            handler.unknown(this);
        }
    }
}
