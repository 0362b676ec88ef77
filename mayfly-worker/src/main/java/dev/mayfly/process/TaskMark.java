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
 *
 * <p>The supervisor that started them is marked too, {@code MAYFLY_SUPERVISOR_PID=<pid>}: two
 * supervisors of one host may hold attempts of one task at once (a node that lost its lease, and the
 * node that runs the task now), and each must find and end only its own.
 *
 * @param supervisorPid the supervisor whose processes these are; -1 for a mark of every supervisor's
 */
public record TaskMark(String taskId, long supervisorPid) {

    public static final String VARIABLE = "MAYFLY_TASK_ID";
    public static final String SUPERVISOR_VARIABLE = "MAYFLY_SUPERVISOR_PID";

    /** The task's processes, whichever supervisor started them. */
    public TaskMark(String taskId) {
        this(taskId, -1);
    }

    /** The task's processes that this process, a supervisor, started. */
    public static TaskMark ofThisSupervisor(String taskId) {
        return new TaskMark(taskId, ProcessHandle.current().pid());
    }

    /** The mark as it appears in a process's environment: {@code MAYFLY_TASK_ID=<task id>}. */
    public byte[] entry() {
        return (VARIABLE + "=" + taskId).getBytes(StandardCharsets.UTF_8);
    }

    /** What a process started for the task carries: both variables. */
    public Map<String, String> variables() {
        return Map.of(VARIABLE, taskId, SUPERVISOR_VARIABLE, Long.toString(supervisorPid));
    }

    /** The mark this process was started with, if a task started it. */
    public static Optional<TaskMark> ofThisProcess() {
        return in(System.getenv());
    }

    /** The mark these variables carry, if they carry one: a process's environment, or what a task's processes get. */
    public static Optional<TaskMark> in(Map<String, String> variables) {
        String supervisor = variables.get(SUPERVISOR_VARIABLE);
        long pid = supervisor == null || !supervisor.matches("\\d{1,18}") ? -1 : Long.parseLong(supervisor);
        return Optional.ofNullable(variables.get(VARIABLE)).filter(id -> !id.isBlank()).map(id -> new TaskMark(id, pid));
    }

    /**
     * Whether an environment block ({@code NAME=value} entries separated by NUL bytes) carries this
     * mark: the task's, and this supervisor's (or none, as processes of earlier versions have).
     */
    public boolean in(byte[] environment) {
        if (environment == null || !ProcFs.hasEntry(environment, entry())) {
            return false;
        }
        return supervisorPid < 0 || !ProcFs.hasName(environment, SUPERVISOR_VARIABLE)
                || ProcFs.hasEntry(environment, (SUPERVISOR_VARIABLE + "=" + supervisorPid).getBytes(StandardCharsets.UTF_8));
    }

    /** The live processes with this mark, this one left out. */
    public List<Long> processes(ProcFs proc) {
        List<Long> found = new ArrayList<>();
        for (long pid : proc.processesWith(entry())) {
            if (in(proc.environment(pid))) {
                found.add(pid);
            }
        }
        return found;
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
            List<Long> pids = processes(proc);
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
