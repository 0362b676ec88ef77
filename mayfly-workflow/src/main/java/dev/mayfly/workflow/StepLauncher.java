package dev.mayfly.workflow;

import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.orchestrator.TaskResult;
import dev.mayfly.task.TaskRequest;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where a workflow's steps run as tasks: in this process's supervisor (a standalone {@code mayfly run}),
 * or through a server's queue in the store, where any node sharing the store may claim each step.
 */
public interface StepLauncher {

    /**
     * Starts the step's task.
     *
     * @param folder the step's folder
     * @param created told the task's id as soon as it is stored
     * @return how the task ended, once it has
     */
    CompletableFuture<TaskResult> launch(TaskRequest request, Boolean workers, Path folder, Consumer<String> created);

    /**
     * How a step's task that is already under way ends: a run taken over from a node that was lost
     * finds its steps still queued or running elsewhere, and waits for them rather than running them
     * twice.
     */
    CompletableFuture<TaskResult> await(String taskId);

    /**
     * How many steps of one run may be under way at once, each waited for in a thread of its own: as
     * many as the workers here, for steps run here (an in-process step runs in that thread); no bound
     * of its own for a queue, whose nodes' slots bound what runs.
     */
    int parallelSteps(int maxWorkers);

    /** The steps run in this process's supervisor; no step of another process is ever waited for. */
    static StepLauncher local(Orchestrator orchestrator) {
        return new StepLauncher() {
            @Override
            public CompletableFuture<TaskResult> launch(TaskRequest request, Boolean workers, Path folder,
                    Consumer<String> created) {
                return orchestrator.submit(request, workers, folder, created);
            }

            @Override
            public CompletableFuture<TaskResult> await(String taskId) {
                return CompletableFuture.failedFuture(new IllegalStateException("task " + taskId + " runs in another "
                        + "process, which this one cannot wait for"));
            }

            @Override
            public int parallelSteps(int maxWorkers) {
                return maxWorkers;
            }
        };
    }
}
