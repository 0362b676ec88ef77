package dev.mayfly.process;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mark every process of a task carries in its environment, {@code MAYFLY_TASK_ID=<task id>}:
 * the worker JVM or command is started with it, and every process they start inherits it. A
 * process that detaches ({@code setsid}, a double fork, re-parenting to init) is no longer a
 * descendant, but it still has the mark, which is how Mayfly finds it. (A program that starts
 * another with a cleared environment removes the mark from that one; the supervisor's watch then
 * still knows it by its parent, if it saw it before the parent died. A cgroup holds them all.)
 */
public record TaskMark(String taskId) {

    public static final String VARIABLE = "MAYFLY_TASK_ID";

    /** The mark as it appears in a process's environment: {@code MAYFLY_TASK_ID=<task id>}. */
    public byte[] entry() {
        return (VARIABLE + "=" + taskId).getBytes(StandardCharsets.UTF_8);
    }

    /** The mark this process was started with, if a task started it. */
    public static Optional<TaskMark> ofThisProcess() {
        return Optional.ofNullable(System.getenv(VARIABLE)).filter(id -> !id.isBlank()).map(TaskMark::new);
    }

    /** Whether an environment block ({@code NAME=value} entries separated by NUL bytes) carries this mark. */
    public boolean in(byte[] environment) {
        return environment != null && ProcFs.hasEntry(environment, entry());
    }

    /**
     * Ends every process with this mark, this one left out: a polite request, up to {@code grace},
     * then SIGKILL; again while new ones appear (a process may fork while it is being ended).
     *
     * @return the processes that were found: pid → command line
     */
    public Map<Long, String> endAll(ProcFs proc, Duration grace) {
        Map<Long, String> ended = new LinkedHashMap<>();
        for (int round = 0; round < 3; round++) {
            List<Long> pids = proc.processesWith(entry());
            if (pids.isEmpty()) {
                break;
            }
            List<ProcessHandle> handles = new ArrayList<>();
            for (long pid : pids) {
                String command = proc.commandLine(pid, 80);
                ProcessHandle.of(pid).ifPresent(handle -> {
                    handles.add(handle);
                    ended.putIfAbsent(pid, command);
                });
            }
            ProcessTree.stopAll(handles, round == 0 ? grace : Duration.ZERO);
        }
        return ended;
    }
}
