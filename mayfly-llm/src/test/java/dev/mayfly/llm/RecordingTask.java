package dev.mayfly.llm;

import dev.mayfly.agent.RunningTask;
import dev.mayfly.api.ContextSegment;
import dev.mayfly.process.JobLaunch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task for the agent to run in the test's JVM, keeping what it reports as the store would: events
 * in order, context segments by number (a segment saved again replaces it and drops later ones),
 * and the last checkpoint.
 */
class RecordingTask implements RunningTask.Reports {

    record Event(String type, Map<String, ?> data) {}

    final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    final Map<Long, ContextSegment> segments = Collections.synchronizedMap(new LinkedHashMap<>());
    volatile String checkpoint;
    volatile int checkpoints;

    RunningTask task(String prompt, Map<String, String> params, Path workDir, Path outputDir) {
        return new RunningTask("t-1", prompt, params, workDir, outputDir, this, checkpoint, JobLaunch.INHERIT);
    }

    List<Event> events(String type) {
        synchronized (events) {
            return events.stream().filter(event -> event.type().equals(type)).toList();
        }
    }

    @Override
    public void progress(String message, double fraction) {
        events.add(new Event("progress", Map.of("message", message)));
    }

    @Override
    public void checkpoint(String state) {
        checkpoint = state;
        checkpoints++;
    }

    @Override
    public void event(String type, Map<String, ?> data) {
        events.add(new Event(type, data));
    }

    @Override
    public void contextSegment(ContextSegment segment) {
        synchronized (segments) {
            segments.keySet().removeIf(seq -> seq >= segment.seq());
            segments.put(segment.seq(), segment);
        }
    }
}
