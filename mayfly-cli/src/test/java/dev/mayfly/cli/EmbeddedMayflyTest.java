package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.client.Mayfly;
import dev.mayfly.client.TaskSubmission;
import dev.mayfly.client.TaskView;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.server.EmbeddedMayfly;
import dev.mayfly.worker.WorkerMain;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The supervisor embedded in this JVM (its workers are still JVMs of their own). */
class EmbeddedMayflyTest extends MayflyContract {

    private EmbeddedMayfly mayfly;

    @BeforeEach
    void start() {
        mayfly = EmbeddedMayfly.start(new SettingsReader(SETTINGS, workDir).read(SettingsReader.Flags.none()));
    }

    @AfterEach
    void stop() {
        mayfly.close();
    }

    @Override
    Mayfly mayfly() {
        return mayfly;
    }

    /** An embedded supervisor lives as long as its service: after a task it keeps a worker ready, and close ends it. */
    @Test
    void after_a_task_a_worker_is_ready_for_the_next_and_close_ends_it() throws Exception {
        TaskView task = mayfly.submit(TaskSubmission.builder("Implement it").command(List.of("python3", "-c", "print(1)"))
                .workers(true).complexity("high").workDir(workDir).build());
        assertThat(mayfly.follow(task.taskId(), event -> { }).state()).isEqualTo("completed");

        await().atMost(Duration.ofSeconds(60)).until(() -> workerJvms().size() == 1);
        mayfly.close();
        assertThat(workerJvms()).as("the ready worker ended with the supervisor").isEmpty();
    }

    private static List<ProcessHandle> workerJvms() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(child -> child.info().commandLine().orElse("").contains(WorkerMain.class.getName())).toList();
    }
}
