package dev.mayfly.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mayfly.json.Json;
import dev.mayfly.routing.Mode;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskState;
import dev.mayfly.worker.MemorySample;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The records read back from their JSON as a server's client receives it (over the wire, parsed as
 * {@code MayflyClient} parses it): every part the JSON carries comes back as it was, so that
 * {@code mayfly status --server} shows what the store holds.
 */
class RecordJsonTest {

    private static final ObjectMapper CLIENT = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00.123Z");

    /** Through text, as the API sends it and the client reads it. */
    private static Map<String, Object> overTheWire(Map<String, Object> json) throws Exception {
        return CLIENT.readValue(Json.write(json), new TypeReference<>() {});
    }

    @Test
    void a_task_with_every_part_set_comes_back_whole_but_its_work_folder_and_version() throws Exception {
        TaskRecord task = TaskRecord.builder("task-1").supervisorId("supervisor-1").prompt("Implement it\nwell")
                .agent("command:python3 x.py").paramsJson("{\"millis\":5,\"name\":\"x\"}").complexity(0.75).longRunning(true)
                .mode(Mode.WORKER).routingReason("long keyword").state(TaskState.FAILED).reason(FailureReason.OUT_OF_MEMORY)
                .exitCode(137).pid(4242L).heapLimitMb(256).timeoutMs(600_000).priority(3).workDir("/work")
                .logPath("/home/.mayfly/runs/task-1/task.log").createdAt(T0).startedAt(T0.plusMillis(5))
                .finishedAt(T0.plusSeconds(9)).executionTimeMs(8995L).memoryPeakMb(120.5).rssPeakMb(300.25)
                .resultJson("{\"answer\":42,\"items\":[1,2.5,\"three\"]}").error("over its cap").version(7).attempts(3)
                .rotations(1).residentPeakMb(512.75).memoryCapMb(1024).waitReason("waiting for memory").build();
        Map<String, Object> json = RecordJson.json(task);
        json.put("result", Json.readOrText(task.resultJson()));

        TaskRecord back = RecordJson.task(overTheWire(json));

        assertThat(back).usingRecursiveComparison().ignoringFields("workDir", "version").isEqualTo(task);
        assertThat(back.workDir()).isNull();
    }

    @Test
    void a_queued_task_s_unknown_parts_stay_unknown() throws Exception {
        TaskRecord task = TaskRecord.builder("task-2").supervisorId("s").prompt("p").agent("a").mode(Mode.IN_PROCESS)
                .routingReason("short").state(TaskState.QUEUED).createdAt(T0).timeoutMs(1000).build();

        assertThat(RecordJson.task(overTheWire(RecordJson.json(task)))).isEqualTo(task);
    }

    @Test
    void events_samples_attempts_runs_and_steps_come_back_as_they_were() throws Exception {
        EventRecord event = new EventRecord(0, "task-1", null, T0, "memory_warning", "{\"percent\":81.5,\"pids\":[1,2]}");
        assertThat(RecordJson.event("task-1", overTheWire(RecordJson.json(event)))).isEqualTo(event);

        MemorySampleRecord sample = new MemorySampleRecord("task-1", T0, new MemorySample(12.5, 20, 64, 19.53, 8.25, 150.5,
                3, 17), 160.75, 4);
        assertThat(RecordJson.sample("task-1", overTheWire(RecordJson.json(sample)))).isEqualTo(sample);

        AttemptRecord attempt = new AttemptRecord("task-1", 2, AttemptRecord.Kind.ROTATION, 128, 1024, "watched", 99L, T0,
                T0.plusSeconds(3), "out_of_memory", "over its cap", 100.5, 900.25, 1);
        assertThat(RecordJson.attempt("task-1", overTheWire(RecordJson.json(attempt)))).isEqualTo(attempt);

        RunRecord run = new RunRecord("run-1", null, "flow", "flow.yaml", "name: flow\nsteps: []\n", "Review it", "{}", 0,
                RunRecord.State.FAILED, "second", "/home/.mayfly/runs/run-1", T0, T0.plusSeconds(60));
        RunStepRecord step = new RunStepRecord("run-1", "second", RunStepRecord.State.FAILED, 2, "task-9",
                "{\"ok\":false}", "exited with code 4", null, null);
        Map<String, Object> runJson = overTheWire(RecordJson.json(run, List.of(step)));
        assertThat(RecordJson.run(runJson)).isEqualTo(run);
        @SuppressWarnings("unchecked")
        Map<String, Object> stepJson = ((List<Map<String, Object>>) runJson.get("steps")).get(0);
        assertThat(RecordJson.step("run-1", stepJson)).isEqualTo(step);
    }
}
