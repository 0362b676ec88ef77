package dev.mayfly.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What Mayfly reads of /proc, read off real processes. */
class ProcFsTest {

    private final ProcFs proc = ProcFs.system();

    @Test
    void two_supervisors_running_one_task_on_one_host_each_find_and_end_only_their_own_processes() throws Exception {
        TaskMark mine = new TaskMark("task-procfs-2", 1001);
        TaskMark theirs = new TaskMark("task-procfs-2", 1002);
        List<String> sleep = List.of("python3", "-c", "import time; time.sleep(60)");
        Process ofMine = new JobLaunch(mine.variables(), List.of()).builder(sleep).start();
        Process ofTheirs = new JobLaunch(theirs.variables(), List.of()).builder(sleep).start();
        Process ofEarlier = new JobLaunch(Map.of(TaskMark.VARIABLE, "task-procfs-2"), List.of()).builder(sleep).start();
        try {
            // Awaited, not read once: a python3 that is a version manager's shim (pyenv's) runs helpers of
            // its own, carrying the mark, before it becomes Python.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(mine.processes(proc))
                    .as("its own, and one of a Mayfly that did not mark its supervisor")
                    .containsExactlyInAnyOrder(ofMine.pid(), ofEarlier.pid()));
            mine.endAll(proc, Duration.ofSeconds(1));

            assertThat(ofMine.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ofTheirs.isAlive()).as("the other supervisor's process is left alone").isTrue();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(theirs.processes(proc))
                    .containsExactly(ofTheirs.pid()));
        } finally {
            for (Process process : List.of(ofMine, ofTheirs, ofEarlier)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void a_process_is_known_by_its_parent_start_time_mark_memory_and_command() throws Exception {
        TaskMark mark = new TaskMark("task-procfs-1");
        Process python = new JobLaunch(Map.of(TaskMark.VARIABLE, mark.taskId()), List.of())
                .builder(List.of("python3", "-c", "import sys, time; x = b'1' * (64 << 20); print('ready', flush=True); "
                        + "time.sleep(60)"))
                .start();
        try {
            assertThat(new String(python.getInputStream().readNBytes(5))).isEqualTo("ready");
            long pid = python.pid();

            ProcFs.Stat stat = proc.stat(pid);
            assertThat(stat.parentPid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(stat.startTicks()).isPositive();
            assertThat(proc.environmentHas(pid, mark.entry())).isTrue();
            assertThat(mark.in(proc.environment(pid))).isTrue();
            assertThat(new TaskMark("task-procfs").in(proc.environment(pid))).as("a whole entry, not a prefix").isFalse();
            assertThat(proc.processesWith(mark.entry())).containsExactly(pid);
            ProcFs.Resident resident = proc.resident(pid);
            assertThat(resident.rssKb()).isBetween(64L * 1024, 200L * 1024);
            assertThat(resident.parentPid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(proc.proportionalKb(pid)).isBetween(60L * 1024, resident.rssKb());
            assertThat(proc.commandLine(pid, 200)).startsWith("python3 -c import sys, time;");
            assertThat(proc.commandLine(pid, 12)).isEqualTo("python3 -c …");
            assertThat(proc.alive(pid)).isTrue();
        } finally {
            python.destroyForcibly().waitFor();
        }
        assertThat(proc.alive(python.pid())).isFalse();
        assertThat(proc.resident(python.pid())).isNull();
    }

    @Test
    void a_zombie_is_not_running_though_the_jdk_counts_it_alive() throws Exception {
        // sh backgrounds a short sleep, then becomes a long one that never reaps it.
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & exec sleep 60").start();
        try {
            ProcessHandle zombie = await().atMost(Duration.ofSeconds(10)).until(
                    () -> parent.toHandle().children().filter(child -> !proc.alive(child.pid())).findFirst().orElse(null),
                    child -> child != null);
            assertThat(zombie.isAlive()).isTrue();
            assertThat(proc.alive(zombie.pid())).isFalse();
            assertThat(proc.resident(zombie.pid())).as("no memory").isNull();
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }

    @Test
    void the_host_memory_is_read_from_meminfo() {
        ProcFs.HostMemInfo info = proc.meminfo();
        assertThat(info.totalKb()).isPositive();
        assertThat(info.availableKb()).isPositive().isLessThanOrEqualTo(info.totalKb());
    }
}
