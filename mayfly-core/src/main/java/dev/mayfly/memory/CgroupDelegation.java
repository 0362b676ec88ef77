package dev.mayfly.memory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Whether this process may give each task a cgroup v2 of its own, and the folder to make them in.
 *
 * <p>That needs a delegated cgroup: this process's own cgroup v2 folder writable by it, with the
 * memory controller in its {@code cgroup.controllers} (as {@code systemd-run -p Delegate=yes} or a
 * service with {@code Delegate=yes} gives). A cgroup that holds processes cannot hand controllers
 * to children, so this process first moves itself into a leaf of its own ({@code mayfly-supervisor-PID}),
 * then enables the memory controller for the children; task cgroups are made beside that leaf.
 * Where a step fails (another process shares the cgroup, say), this process goes back where it was
 * and caps are watched instead, with the reason said by {@code mayfly validate}.
 */
public final class CgroupDelegation {

    /** The folder task cgroups go in, or why there is none. */
    record Result(Optional<Path> parent, String note) {

        static Result refused(String why) {
            return new Result(Optional.empty(), why);
        }
    }

    private CgroupDelegation() {}

    /** Why this process may not use cgroup v2 for its tasks, or empty when it may; changes nothing. */
    public static Optional<String> whyNot(CgroupLocation location) {
        if (location.v2().isEmpty()) {
            return Optional.of("no cgroup v2 hierarchy is mounted for this process");
        }
        Path folder = location.v2().get().path();
        String controllers = read(folder.resolve("cgroup.controllers"));
        if (!words(controllers).contains("memory")) {
            return Optional.of("cgroup v2 is not delegated here: " + folder + " offers no memory controller "
                    + "(cgroup.controllers: '" + controllers.trim() + "')");
        }
        if (!Files.isWritable(folder)) {
            return Optional.of("cgroup v2 is not delegated here: " + folder + " is not writable by this process");
        }
        return Optional.empty();
    }

    static Result prepare(CgroupLocation location, long selfPid) {
        Optional<String> why = whyNot(location);
        if (why.isPresent()) {
            return Result.refused(why.get());
        }
        Path folder = location.v2().get().path();
        Path leaf = folder.resolve("mayfly-supervisor-" + selfPid);
        try {
            if (!words(read(folder.resolve("cgroup.subtree_control"))).contains("memory")) {
                Files.createDirectories(leaf);
                TaskCgroup.write(leaf.resolve("cgroup.procs"), Long.toString(selfPid));
                TaskCgroup.write(folder.resolve("cgroup.subtree_control"), "+memory");
            }
            return new Result(Optional.of(folder), "kernel: a cgroup v2 per task under " + folder + " (memory.max = its cap)");
        } catch (IOException e) {
            moveBack(folder, leaf, selfPid);
            return Result.refused("cgroup v2 under " + folder + " could not be prepared (" + e.getMessage()
                    + "; another process may share it)");
        }
    }

    private static void moveBack(Path folder, Path leaf, long selfPid) {
        try {
            TaskCgroup.write(folder.resolve("cgroup.procs"), Long.toString(selfPid));
            Files.deleteIfExists(leaf);
        } catch (IOException e) {
            // Still in the leaf: harmless, it has no limit of its own.
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    private static List<String> words(String text) {
        return List.of(text.trim().split("\\s+"));
    }
}
