package dev.mayfly.supervisor;

import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.memory.MemoryAdmission;
import dev.mayfly.store.NewTask;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Holds a task until its process tree's cap fits in the host's memory, for workers and in-process
 * commands alike; records why it waits ({@code mayfly status} shows it) and the cap it starts with.
 */
public final class TaskAdmission {

    private final MemoryAdmission admission;
    private final AttemptRecorder.Context context;

    public TaskAdmission(MemoryAdmission admission, AttemptRecorder.Context context) {
        this.admission = admission;
        this.context = context;
    }

    /**
     * Waits until the task may start.
     *
     * @param stop true when the task should no longer wait (the supervisor is stopping)
     * @return the task with the cap it starts with (a default cap may be cut to what is available),
     *     or null when it was stopped while it waited
     */
    public NewTask admit(NewTask task, BooleanSupplier stop) {
        if (!task.treeMeasured()) {
            return stop.getAsBoolean() ? null : task;
        }
        int cap = task.request().limits().memoryMb();
        int granted;
        try {
            granted = admission.await(cap, task.request().limits().capGiven(), why -> {
                context.tryRecord("why it waits", task.id(), () -> context.store().waiting(task.id(), why,
                        context.clock().instant()));
                context.log().info(OrchestratorLog.ENTRY, "Task " + task.id() + " is " + why, "taskId", task.id());
            }, stop);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        if (granted < 0) {
            return null;
        }
        if (granted != cap) {
            context.log().info(OrchestratorLog.ENTRY, String.format(Locale.ROOT, "Task %s: memory cap %d MB, what is "
                    + "available now (its default of %d MB does not fit)", task.id(), granted, cap), "taskId", task.id());
        }
        return granted == cap ? task : task.withRequest(task.request().withLimits(task.request().limits().withMemoryMb(granted)));
    }
}
