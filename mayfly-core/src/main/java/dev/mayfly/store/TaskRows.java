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
        return new TaskRecord(
                rows.getString("id"),
                rows.getString("supervisor_id"),
                rows.getString("prompt"),
                rows.getString("agent"),
                rows.getString("params"),
                rows.getDouble("complexity"),
                rows.getInt("long_running") == 1,
                Mode.fromLabel(rows.getString("mode")),
                rows.getString("routing_reason"),
                TaskState.fromLabel(rows.getString("state")),
                reason == null ? null : FailureReason.fromLabel(reason),
                nullableInt(rows, "exit_code"),
                nullableLong(rows, "pid"),
                nullableInt(rows, "heap_limit_mb"),
                rows.getLong("timeout_ms"),
                rows.getInt("priority"),
                rows.getString("work_dir"),
                rows.getString("log_path"),
                instant(rows, "created_at"),
                instant(rows, "started_at"),
                instant(rows, "finished_at"),
                nullableLong(rows, "execution_time_ms"),
                nullableDouble(rows, "memory_peak_mb"),
                nullableDouble(rows, "rss_peak_mb"),
                rows.getString("result"),
                rows.getString("error"),
                rows.getLong("version"),
                rows.getInt("attempts"),
                rows.getInt("rotations"),
                nullableDouble(rows, "resident_peak_mb"),
                nullableInt(rows, "memory_cap_mb"),
                rows.getString("wait_reason"));
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
