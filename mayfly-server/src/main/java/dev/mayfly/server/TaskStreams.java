package dev.mayfly.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mayfly.log.FileFollower;
import dev.mayfly.orchestrator.SupervisorLiveness;
import dev.mayfly.store.EventRecord;
import dev.mayfly.store.MemorySampleRecord;
import dev.mayfly.store.RecordJson;
import dev.mayfly.store.TaskRecord;
import dev.mayfly.store.TaskStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A task followed live over HTTP: its log as it grows ({@code /log?follow=true}), and everything that
 * happens to it as Server-Sent Events ({@code /events}): its events (state changes, progress,
 * retries, cancel), its memory samples and its log's lines, until it ends (an {@code end} event).
 * Both look at the store and the log every {@value #POLL_MS} ms, as {@code mayfly logs --follow} does,
 * and at once when a task of this server's ends ({@link TaskEnds}).
 */
final class TaskStreams {

    static final long POLL_MS = 250;
    /** A comment line this often keeps proxies from closing a quiet stream, and finds a reader gone. */
    private static final long KEEP_ALIVE_MS = 15_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TaskStore store;
    private final TaskEnds taskEnds;
    private final Clock clock;
    private final long pollMs;

    TaskStreams(TaskStore store, TaskEnds taskEnds, Clock clock) {
        this(store, taskEnds, clock, POLL_MS);
    }

    /** @param pollMs how long between looks at the store and the log, when no task of this server's ends */
    TaskStreams(TaskStore store, TaskEnds taskEnds, Clock clock, long pollMs) {
        this.store = store;
        this.taskEnds = taskEnds;
        this.clock = clock;
        this.pollMs = pollMs;
    }

    /** The log whole, or (follow) as it grows until the task ends. */
    void log(HttpCall call, TaskRecord task, boolean follow) throws IOException, InterruptedException {
        Path log = Path.of(task.logPath());
        try (OutputStream out = call.stream("text/plain; charset=utf-8")) {
            if (!follow) {
                FileFollower.copyAll(log, out);
                return;
            }
            try (FileFollower follower = FileFollower.start(log, out)) {
                long seen = taskEnds.count();
                while (ended(task.id()) == null) {
                    taskEnds.await(seen, pollMs);
                    seen = taskEnds.count();
                }
            }
        }
    }

    /** Where a followed task's happenings go, one by one. */
    interface Sink {
        /** @param id a stored event's id (what a stream resumes after); null for samples, lines and the end */
        void send(String id, String type, Map<String, Object> data) throws IOException;

        /** After each look at the store and the log (every {@value #POLL_MS} ms). */
        default void looked() throws IOException {}
    }

    /**
     * Server-Sent Events until the task ends; a reader that goes away ends it sooner. A reader that
     * comes back with {@code Last-Event-ID} gets the stored events after that one, and memory samples
     * and log lines from then on.
     */
    void events(HttpCall call, TaskRecord task, Long lastEventId) throws IOException, InterruptedException {
        try (OutputStream out = call.stream("text/event-stream; charset=utf-8")) {
            follow(task, lastEventId, new ServerSentEvents(out));
        }
    }

    /** Tells {@code sink} everything that happens to the task until it ends (from the start, or after {@code lastEventId}). */
    void follow(TaskRecord task, Long lastEventId, Sink sink) throws IOException, InterruptedException {
        LineTail log = new LineTail(Path.of(task.logPath()));
        long lastEvent = lastEventId == null ? 0 : lastEventId;
        Instant lastSample = null;
        if (lastEventId != null) {
            log.newLines();
            List<MemorySampleRecord> sent = store.memorySamples(task.id(), null);
            lastSample = sent.isEmpty() ? null : sent.get(sent.size() - 1).at();
        }
        while (true) {
            long seen = taskEnds.count();
            // Read before the last look, so that what came before the end is all sent.
            String end = ended(task.id());
            for (EventRecord event : store.events(task.id(), lastEvent)) {
                sink.send(Long.toString(event.id()), event.type(), RecordJson.json(event));
                lastEvent = event.id();
            }
            for (MemorySampleRecord sample : store.memorySamples(task.id(), lastSample)) {
                sink.send(null, "memory", RecordJson.json(sample));
                lastSample = sample.at();
            }
            for (String line : log.newLines()) {
                sink.send(null, "log", Map.of("line", line));
            }
            if (end != null) {
                sink.send(null, "end", Map.of("state", end));
                return;
            }
            sink.looked();
            taskEnds.await(seen, pollMs);
        }
    }

    /**
     * The task's final state once it has ended; "running (supervisor gone)" when its supervisor is
     * gone (it will not end until the next start settles it); null while it runs.
     */
    private String ended(String taskId) {
        TaskRecord task = store.findTask(taskId).orElseThrow();
        if (task.state().terminal()) {
            return task.state().label();
        }
        String shown = SupervisorLiveness.shownState(store, task.state().label(), true, task.supervisorId(),
                SupervisorLiveness.thisHost(), clock.instant());
        return shown.equals(task.state().label()) ? null : shown;
    }

    /** Events as Server-Sent Events' frames, with a comment line when the stream has been quiet a while. */
    private static final class ServerSentEvents implements Sink {
        private final OutputStream out;
        private long lastWrite = System.nanoTime();

        ServerSentEvents(OutputStream out) {
            this.out = out;
        }

        @Override
        public void send(String id, String type, Map<String, Object> data) throws IOException {
            StringBuilder frame = new StringBuilder();
            if (id != null) {
                frame.append("id: ").append(id).append('\n');
            }
            frame.append("event: ").append(type).append('\n').append("data: ").append(JSON.writeValueAsString(data))
                    .append("\n\n");
            out.write(frame.toString().getBytes(StandardCharsets.UTF_8));
            lastWrite = System.nanoTime();
        }

        @Override
        public void looked() throws IOException {
            if (System.nanoTime() - lastWrite > KEEP_ALIVE_MS * 1_000_000) {
                out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                lastWrite = System.nanoTime();
            }
            out.flush();
        }
    }

    /** The whole lines added to a file since the last look; a line still being written waits for its end. */
    private static final class LineTail extends OutputStream {
        private final FileFollower follower;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private final List<String> lines = new ArrayList<>();

        LineTail(Path file) {
            this.follower = FileFollower.unthreaded(file, this);
        }

        List<String> newLines() throws IOException {
            follower.copyNew();
            List<String> whole = List.copyOf(lines);
            lines.clear();
            return whole;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                lines.add(partial.toString(StandardCharsets.UTF_8).replace("\r", ""));
                partial.reset();
            } else {
                partial.write(b);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(bytes[i]);
            }
        }
    }
}
