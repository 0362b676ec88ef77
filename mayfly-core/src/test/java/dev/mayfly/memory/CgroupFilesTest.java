package dev.mayfly.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mayfly.log.LogFormat;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.process.JobLaunch;
import dev.mayfly.process.ProcFs;
import dev.mayfly.process.TaskMark;
import dev.mayfly.support.SettableHostMemory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cgroup files Mayfly reads and writes, against folders laid out like cgroupfs. The kernel
 * itself is not exercised: this build machine has no delegated cgroup v2 (its memory controller
 * is on cgroup v1), and tests must not create cgroups on it.
 */
class CgroupFilesTest {

    private static final long MB = 1024 * 1024;

    @TempDir
    Path root;

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    @Test
    void the_location_is_read_from_proc_self_cgroup_and_mountinfo_on_a_hybrid_host_and_in_a_container() {
        String cgroup = "4:memory:/process_api/abc\n0::/\n";
        String mountinfo = "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
                + "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
                + "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
        CgroupLocation hybrid = CgroupLocation.parse(cgroup, mountinfo);
        assertThat(hybrid.v1Memory().orElseThrow().path()).isEqualTo(Path.of("/sys/fs/cgroup/memory/process_api/abc"));
        assertThat(hybrid.v2().orElseThrow().path()).isEqualTo(Path.of("/sys/fs/cgroup/unified"));
        assertThat(hybrid.v1Memory().orElseThrow().upToMount()).containsExactly(
                Path.of("/sys/fs/cgroup/memory/process_api/abc"), Path.of("/sys/fs/cgroup/memory/process_api"),
                Path.of("/sys/fs/cgroup/memory"));

        // A container: its own cgroup is the mount's root, and a mount point with a space in it.
        CgroupLocation container = CgroupLocation.parse("0::/docker/c1/worker\n",
                "50 40 0:40 /docker/c1 /sys/fs/my\\040cgroup rw shared:1 - cgroup2 cgroup2 rw,nsdelegate\n");
        assertThat(container.v2().orElseThrow().path()).isEqualTo(Path.of("/sys/fs/my cgroup/worker"));
        assertThat(container.v1Memory()).isEmpty();
    }

    @Test
    void available_memory_is_the_least_left_under_any_cgroup_limit_counting_inactive_file_cache_back() throws IOException {
        Path v2 = root.resolve("unified");
        write(v2.resolve("app/memory.max"), "1073741824\n");
        write(v2.resolve("app/memory.current"), Long.toString(512 * MB));
        write(v2.resolve("app/memory.stat"), "anon 400000000\ninactive_file " + 100 * MB + "\n");
        write(v2.resolve("app/task/memory.max"), "max\n");
        Path v1 = root.resolve("memory");
        write(v1.resolve("app/memory.limit_in_bytes"), Long.toString(2048 * MB));
        write(v1.resolve("app/memory.usage_in_bytes"), Long.toString(1800 * MB));
        write(v1.resolve("app/memory.stat"), "cache 1\ntotal_inactive_file " + 200 * MB + "\n");
        write(v1.resolve("memory.limit_in_bytes"), "9223372036854771712");
        LinuxHostMemory host = new LinuxHostMemory(ProcFs.system(), new CgroupLocation(
                Optional.of(new CgroupLocation.Folder(v2.resolve("app/task"), v2)),
                Optional.of(new CgroupLocation.Folder(v1.resolve("app"), v1))));

        assertThat(host.limits()).extracting(LinuxHostMemory.Limit::availableMb).containsExactly(1024L - 412, 2048L - 1600);
        assertThat(host.availableMb()).as("the v1 limit leaves less: 2 GB less 1,600 MB in use").isEqualTo(2048 - 1600);
        assertThat(host.usableMb()).as("the smallest limit").isEqualTo(1024);
        assertThat(host.describe()).contains("MemAvailable", "limit 1,024 MB (612 MB left)");
    }

    @Test
    void delegation_needs_the_memory_controller_and_then_moves_this_process_into_a_leaf_of_its_own() throws IOException {
        Path cgroup = root.resolve("delegated");
        write(cgroup.resolve("cgroup.controllers"), "cpu io pids\n");
        write(cgroup.resolve("cgroup.subtree_control"), "");
        CgroupLocation location = new CgroupLocation(Optional.of(new CgroupLocation.Folder(cgroup, root)),
                Optional.empty());

        assertThat(CgroupDelegation.whyNot(location)).contains("cgroup v2 is not delegated here: " + cgroup
                + " offers no memory controller (cgroup.controllers: 'cpu io pids')");
        assertThat(CgroupDelegation.prepare(location, 4242).parent()).isEmpty();
        assertThat(Files.exists(cgroup.resolve("mayfly-supervisor-4242"))).as("nothing made when refused").isFalse();
        assertThat(CgroupDelegation.whyNot(CgroupLocation.none())).contains("no cgroup v2 hierarchy is mounted for this process");

        write(cgroup.resolve("cgroup.controllers"), "cpu io memory pids\n");
        CgroupDelegation.Result result = CgroupDelegation.prepare(location, 4242);

        assertThat(result.parent()).contains(cgroup);
        assertThat(result.note()).isEqualTo("kernel: a cgroup v2 per task under " + cgroup + " (memory.max = its cap)");
        assertThat(Files.readString(cgroup.resolve("mayfly-supervisor-4242/cgroup.procs"))).isEqualTo("4242");
        assertThat(Files.readString(cgroup.resolve("cgroup.subtree_control"))).isEqualTo("+memory");
    }

    @Test
    void a_task_cgroup_is_capped_and_its_first_process_enters_it_before_the_program_runs() throws Exception {
        TaskCgroup cgroup = TaskCgroup.create(root, "mayfly-task-1-1", 512);

        assertThat(Files.readString(cgroup.folder().resolve("memory.max"))).isEqualTo(Long.toString(512 * MB));
        assertThat(Files.readString(cgroup.folder().resolve("memory.oom.group"))).isEqualTo("1");
        List<String> command = new ArrayList<>(cgroup.launchPrefix());
        command.addAll(List.of("sh", "-c", "echo $$"));
        Process process = new ProcessBuilder(command).start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(process.waitFor()).isZero();
        // The program ran as the same process that wrote itself into cgroup.procs.
        assertThat(printed).isEqualTo(Long.toString(process.pid()));
        assertThat(cgroup.pids()).containsExactly(process.pid());

        write(cgroup.folder().resolve("memory.current"), Long.toString(300 * MB));
        write(cgroup.folder().resolve("memory.peak"), Long.toString(450 * MB));
        write(cgroup.folder().resolve("memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
        assertThat(cgroup.currentMb()).isEqualTo(300.0);
        assertThat(cgroup.peakMb()).isEqualTo(450.0);
        assertThat(cgroup.oomKills()).isEqualTo(1);
        write(cgroup.folder().resolve("cgroup.kill"), "0");
        cgroup.kill();
        assertThat(Files.readString(cgroup.folder().resolve("cgroup.kill"))).isEqualTo("1");

        assertThat(cgroup.remove()).as("the kernel refuses while files are there; a real cgroup has only its own").isFalse();
        try (var files = Files.list(cgroup.folder())) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        assertThat(cgroup.remove()).isTrue();
        assertThat(Files.exists(cgroup.folder())).isFalse();
    }

    @Test
    void a_kernel_oom_kill_in_the_task_cgroup_ends_the_job_as_out_of_memory_by_the_kernel() throws Exception {
        TaskCgroup cgroup = TaskCgroup.create(root, "mayfly-task-2-1", 256);
        List<MemoryBreach> breaches = new CopyOnWriteArrayList<>();
        JobListener listener = new JobListener() {
            @Override
            public void sample(JobReading reading) {
            }

            @Override
            public void warning(JobReading reading, double thresholdPercent) {
            }

            @Override
            public void breached(MemoryBreach breach) {
                breaches.add(breach);
            }
        };
        OrchestratorLog log = new OrchestratorLog(root.resolve("log"), new PrintStream(OutputStream.nullOutputStream()),
                LogFormat.TEXT, Clock.systemUTC());
        MemoryWatch watch = new MemoryWatch(ProcFs.system(), new SettableHostMemory(20_000, 24_000), 0,
                Duration.ofSeconds(10), log, Clock.systemUTC(), () -> { });
        MemoryJob job = new MemoryJob(watch, new MemoryJob.JobSpec("task-2", 256, 80, 0, Duration.ofSeconds(10), listener),
                1, new JobLaunch(Map.of(TaskMark.VARIABLE, "task-2"), cgroup.launchPrefix()), cgroup, System.nanoTime());
        ProcessBuilder builder = job.launch().builder(List.of("sleep", "600"));
        Process sleeper = builder.start();
        write(cgroup.folder().resolve("memory.current"), Long.toString(120 * MB));
        watch.add(job);
        await().atMost(Duration.ofSeconds(10)).until(() -> job.latest().map(JobReading::residentMb).orElse(0.0) == 120.0);
        assertThat(job.enforcement()).isEqualTo(Enforcement.CGROUP);

        write(cgroup.folder().resolve("memory.events"), "oom 1\noom_kill 1\n");

        await().atMost(Duration.ofSeconds(10)).until(() -> !breaches.isEmpty() && !sleeper.isAlive());
        assertThat(breaches.get(0).cause()).isEqualTo(MemoryBreach.Cause.KERNEL);
        assertThat(breaches.get(0).message()).startsWith("the kernel ended the task's processes at its memory cap of 256 MB "
                + "(cgroup memory.max; 120 MB at the last reading)");
        MemoryJob.End end = job.close();
        assertThat(end.breach().cause()).isEqualTo(MemoryBreach.Cause.KERNEL);
        assertThat(end.residentPeakMb()).isEqualTo(120.0);
        log.close();
    }
}
