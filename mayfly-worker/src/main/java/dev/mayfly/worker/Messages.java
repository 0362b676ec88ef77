package dev.mayfly.worker;

import dev.mayfly.api.ContextSegment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The channel's vocabulary. Worker to supervisor: {@link #HELLO}, {@link #MEMORY_REPORT},
 * {@link #MEMORY_WARNING}, {@link #PROGRESS}, {@link #RESULT}, {@link #EXITING}, {@link #CHECKPOINT}, {@link #ROTATED},
 * {@link #EVENT}, {@link #CONTEXT_SEGMENT}. Supervisor to
 * worker: {@link #TASK}, {@link #CANCEL}, {@link #ROTATE}.
 */
public final class Messages {

    public static final String TYPE = "type";

    /** First message of a worker: {@code workerId}, and the {@code secret} from its environment. */
    public static final String HELLO = "hello";
    /**
     * The task: {@code taskId, prompt, params, agent, workDir, outputDir, reportIntervalMs,
     * warnPercent, rotatePercent}, and {@code checkpoint} when it continues from one.
     */
    public static final String TASK = "task";
    /** Please stop: the task timed out or its supervisor is shutting down. */
    public static final String CANCEL = "cancel";
    /**
     * A command agent's tree passed the rotation threshold: stop it so that its session continues in a
     * fresh worker, once it runs no tool, or at once when {@code forced}.
     */
    public static final String ROTATE = "rotate";
    /** A memory sample: the fields of {@link MemorySample}. */
    public static final String MEMORY_REPORT = "memory_report";
    /** The heap passed the warning threshold: a memory sample and {@code thresholdPercent}. */
    public static final String MEMORY_WARNING = "memory_warning";
    /** The agent's own progress: {@code message}, {@code fraction}. */
    public static final String PROGRESS = "progress";
    /**
     * The task's outcome: {@code ok}, {@code result} or {@code error}/{@code errorType},
     * {@code outOfMemory}, {@code exitCode} (an agent's own, such as a command's),
     * {@code executionTimeMs}, {@code heapPeakMb}, {@code rssPeakMb}.
     */
    public static final String RESULT = "result";
    /** The JVM is shutting down before a result was sent: the agent called System.exit. */
    public static final String EXITING = "exiting";
    /** The agent saved its state: {@code state}. */
    public static final String CHECKPOINT = "checkpoint";
    /** The worker ends so that the task continues in a fresh one, from the checkpoint just sent: {@code livePercent}. */
    public static final String ROTATED = "rotated";

    /** An event the agent recorded: {@code event} (its type) and {@code data}. */
    public static final String EVENT = "event";
    /**
     * A piece of the agent's context to keep: {@code seq, tier, role, content, tokens,
     * summarisesThrough} (see {@link dev.mayfly.api.ContextSegment}).
     */
    public static final String CONTEXT_SEGMENT = "context_segment";

    private Messages() {}

    /** The fields of a {@link #CONTEXT_SEGMENT} message. */
    public static Map<String, Object> contextSegment(ContextSegment segment) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("seq", segment.seq());
        fields.put("tier", segment.tier());
        fields.put("role", segment.role());
        fields.put("content", segment.content());
        fields.put("tokens", segment.tokens());
        fields.put("summarisesThrough", segment.summarisesThrough());
        return fields;
    }

    /** The segment a {@link #CONTEXT_SEGMENT} message carries. */
    public static ContextSegment contextSegment(Map<String, Object> message) {
        return new ContextSegment(((Number) message.get("seq")).longValue(), (String) message.get("tier"),
                (String) message.get("role"), (String) message.get("content"), ((Number) message.get("tokens")).longValue(),
                ((Number) message.get("summarisesThrough")).longValue());
    }
}
