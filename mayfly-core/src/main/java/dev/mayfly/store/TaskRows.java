package dev.mayfly.store;

import dev.mayfly.routing.Mode;
import dev.mayfly.task.FailureReason;
import dev.mayfly.task.TaskState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/** Reads the store's rows into records: the tasks table's columns, nullable numbers, times. */
final class TaskRows {

    static final String COLUMNS = "id, supervisor_id, prompt, agent, params, complexity, long_running, "
            + "mode, routing_reason, state, reason, exit_code, pid, heap_limit_mb, timeout_ms, priority, work_dir, "
            + "log_path, created_at, started_at, finished_at, execution_time_ms, memory_peak_mb, rss_peak_mb, result, "
            + "error, version, attempts, rotations, resident_peak_mb, memory_cap_mb, wait_reason";

    private TaskRows() {}

    static TaskRecord task(ResultSet rows) throws SQLException {
        String reason = rows.getString("reason");
        return TaskRecord.builder(rows.getString("id"))
                .supervisorId(rows.getString("supervisor_id"))
                .prompt(rows.getString("prompt"))
                .agent(rows.getString("agent"))
                .paramsJson(rows.getString("params"))
                .complexity(rows.getDouble("complexity"))
                .longRunning(rows.getInt("long_running") == 1)
                .mode(Mode.fromLabel(rows.getString("mode")))
                .routingReason(rows.getString("routing_reason"))
                .state(TaskState.fromLabel(rows.getString("state")))
                .reason(reason == null ? null : FailureReason.fromLabel(reason))
                .exitCode(nullableInt(rows, "exit_code"))
                .pid(nullableLong(rows, "pid"))
                .heapLimitMb(nullableInt(rows, "heap_limit_mb"))
                .timeoutMs(rows.getLong("timeout_ms"))
                .priority(rows.getInt("priority"))
                .workDir(rows.getString("work_dir"))
                .logPath(rows.getString("log_path"))
                .createdAt(instant(rows, "created_at"))
                .startedAt(instant(rows, "started_at"))
                .finishedAt(instant(rows, "finished_at"))
                .executionTimeMs(nullableLong(rows, "execution_time_ms"))
                .memoryPeakMb(nullableDouble(rows, "memory_peak_mb"))
                .rssPeakMb(nullableDouble(rows, "rss_peak_mb"))
                .resultJson(rows.getString("result"))
                .error(rows.getString("error"))
                .version(rows.getLong("version"))
                .attempts(rows.getInt("attempts"))
                .rotations(rows.getInt("rotations"))
                .residentPeakMb(nullableDouble(rows, "resident_peak_mb"))
                .memoryCapMb(nullableInt(rows, "memory_cap_mb"))
                .waitReason(rows.getString("wait_reason"))
                .build();
    }

    static Integer nullableInt(ResultSet rows, String column) throws SQLException {
        int value = rows.getInt(column);
        return rows.wasNull() ? null : value;
    }

    static Long nullableLong(ResultSet rows, String column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }

    static Double nullableDouble(ResultSet rows, String column) throws SQLException {
        double value = rows.getDouble(column);
        return rows.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    /** The columns {@link #supervisor} reads, in its order. */
    static final String SUPERVISOR_COLUMNS = "s.id, s.host, s.pid, s.pid_started_at, s.started_at, s.heartbeat_at, "
            + "s.heartbeat_interval_ms, s.stopped_at";

    /** A supervisor from the columns {@link #SUPERVISOR_COLUMNS} (of a table called {@code s}). */
    static SupervisorRecord supervisor(ResultSet rows) throws SQLException {
        long interval = rows.getLong(7);
        Duration heartbeatInterval = rows.wasNull() ? null : Duration.ofMillis(interval);
        return new SupervisorRecord(rows.getString(1), rows.getString(2), rows.getLong(3), instant(rows, 4),
                instant(rows, 5), instant(rows, 6), heartbeatInterval, instant(rows, 8));
    }

    static Instant instant(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : Instant.ofEpochMilli(value);
    }
}
