package dev.mayfly.memory;

import dev.mayfly.process.ProcessTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One task's cgroup v2 folder: {@code memory.max} is its cap, so the kernel enforces it;
 * {@code memory.oom.group} makes the kernel's OOM killer end the whole tree at once;
 * {@code memory.events} says whether it did; {@code memory.peak} (Linux 5.19 and later) or the
 * highest {@code memory.current} seen is its peak. Its first process is placed in it before the
 * program runs (a shell writes its own pid to {@code cgroup.procs}, then execs the program), so
 * everything the task starts is in it and no process can leave it.
 */
final class TaskCgroup {

    private static final double MB = 1024.0 * 1024.0;
    /** The shell that moves itself into the cgroup, then becomes the program: {@code $1} is cgroup.procs. */
    static final String ENTER = "echo $$ > \"$1\" || exit 125; shift; exec \"$@\"";

    private final Path folder;

    private TaskCgroup(Path folder) {
        this.folder = folder;
    }

    /** Creates {@code parent/name} with the cap. */
    static TaskCgroup create(Path parent, String name, int capMb) throws IOException {
        Path folder = parent.resolve(name);
        Files.createDirectory(folder);
        TaskCgroup cgroup = new TaskCgroup(folder);
        try {
            write(folder.resolve("memory.max"), Long.toString(capMb * 1024L * 1024L));
            write(folder.resolve("memory.oom.group"), "1");
        } catch (IOException e) {
            cgroup.remove();
            throw e;
        }
        try {
            // The cap is on resident memory: a tree that swapped past it would only hide its runaway.
            write(folder.resolve("memory.swap.max"), "0");
        } catch (IOException e) {
            // No swap accounting on this kernel: nothing can swap out of the cap anyway.
        }
        return cgroup;
    }

    Path folder() {
        return folder;
    }

    /** The words to start the first process under, so that it enters the cgroup before it runs. */
    List<String> launchPrefix() {
        return List.of("/bin/sh", "-c", ENTER, "mayfly-cgroup", folder.resolve("cgroup.procs").toString());
    }

    double currentMb() {
        long bytes = LinuxHostMemory.bytes(folder.resolve("memory.current"));
        return bytes < 0 ? 0 : bytes / MB;
    }

    /** The kernel's high-water mark, or -1 before Linux 5.19. */
    double peakMb() {
        long bytes = LinuxHostMemory.bytes(folder.resolve("memory.peak"));
        return bytes < 0 ? -1 : bytes / MB;
    }

    /** How many processes the kernel's OOM killer ended in this cgroup. */
    long oomKills() {
        return Math.max(0, LinuxHostMemory.statValue(folder.resolve("memory.events"), "oom_kill"));
    }

    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(folder.resolve("cgroup.procs"), StandardCharsets.US_ASCII)) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.trim()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Gone, or not readable: no process to name.
        }
        return pids;
    }

    /** Kills every process in the cgroup: {@code cgroup.kill} where the kernel has it (5.14), else one by one. */
    void kill() {
        Path kill = folder.resolve("cgroup.kill");
        if (Files.exists(kill)) {
            try {
                write(kill, "1");
                return;
            } catch (IOException e) {
                // Falls back to killing each process.
            }
        }
        pids().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    /** Ends every process still in the cgroup and returns their pids. */
    List<Long> endAll() {
        List<Long> ended = new ArrayList<>();
        List<ProcessHandle> handles = new ArrayList<>();
        for (long pid : pids()) {
            ProcessHandle.of(pid).ifPresent(handle -> {
                handles.add(handle);
                ended.add(pid);
            });
        }
        kill();
        ProcessTree.stopAll(handles, Duration.ZERO);
        return ended;
    }

    /** Removes the cgroup (the kernel allows it once no process is left); false when it could not. */
    boolean remove() {
        try {
            Files.deleteIfExists(folder);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void write(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.US_ASCII);
    }
}
