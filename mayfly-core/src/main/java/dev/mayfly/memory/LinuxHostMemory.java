package dev.mayfly.memory;

import dev.mayfly.process.ProcFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The host's memory as Linux tells it: {@code MemAvailable} and {@code MemTotal} from
 * {@code /proc/meminfo}, bounded by every memory limit of this process's cgroups (v2
 * {@code memory.max}, v1 {@code memory.limit_in_bytes}) from its own cgroup up to the mount. What a
 * cgroup still allows is its limit less its usage, where usage counts back the inactive file cache
 * that the kernel reclaims before it would fail an allocation (as {@code docker stats} does).
 */
public final class LinuxHostMemory implements HostMemory {

    private static final long MB = 1024 * 1024;

    private final ProcFs proc;
    private final CgroupLocation cgroups;

    public LinuxHostMemory(ProcFs proc, CgroupLocation cgroups) {
        this.proc = proc;
        this.cgroups = cgroups;
    }

    public static LinuxHostMemory ofThisProcess() {
        return new LinuxHostMemory(ProcFs.system(), CgroupLocation.ofThisProcess());
    }

    @Override
    public long availableMb() {
        return smallest(ProcFs.HostMemInfo::availableKb, Limit::availableMb);
    }

    @Override
    public long usableMb() {
        return smallest(ProcFs.HostMemInfo::totalKb, Limit::limitMb);
    }

    /** The host's figure (kB in meminfo) or a cgroup's (MB), whichever is smallest, in MB; -1 when none is known. */
    private long smallest(ToLongFunction<ProcFs.HostMemInfo> host, ToLongFunction<Limit> cgroup) {
        ProcFs.HostMemInfo info = proc.meminfo();
        long smallest = info == null ? Long.MAX_VALUE : host.applyAsLong(info) / 1024;
        for (Limit limit : limits()) {
            smallest = Math.min(smallest, cgroup.applyAsLong(limit));
        }
        return smallest == Long.MAX_VALUE ? -1 : smallest;
    }

    @Override
    public String describe() {
        List<String> parts = new ArrayList<>();
        ProcFs.HostMemInfo info = proc.meminfo();
        parts.add(info == null ? "no /proc/meminfo" : String.format(Locale.ROOT, "MemAvailable %,d MB of MemTotal %,d MB",
                info.availableKb() / 1024, info.totalKb() / 1024));
        for (Limit limit : limits()) {
            parts.add(String.format(Locale.ROOT, "cgroup %s limit %,d MB (%,d MB left)", limit.folder(), limit.limitMb(),
                    limit.availableMb()));
        }
        if (parts.size() == 1) {
            parts.add("no cgroup memory limit above this process");
        }
        return String.join("; ", parts);
    }

    /** A cgroup's memory limit and what of it is left, in MB. */
    record Limit(Path folder, long limitMb, long availableMb) {}

    /** Every memory limit set on this process's cgroups, v2 and v1, nearest first. */
    List<Limit> limits() {
        List<Limit> limits = new ArrayList<>();
        cgroups.v2().ifPresent(folder -> folder.upToMount().forEach(path ->
                limit(path, "memory.max", "memory.current", "inactive_file").ifPresent(limits::add)));
        cgroups.v1Memory().ifPresent(folder -> folder.upToMount().forEach(path ->
                limit(path, "memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file").ifPresent(limits::add)));
        return limits;
    }

    private static Optional<Limit> limit(Path folder, String limitFile, String usageFile, String inactiveKey) {
        long limit = bytes(folder.resolve(limitFile));
        // v1 writes "no limit" as a number near 2^63; anything past a petabyte is no limit.
        if (limit <= 0 || limit >= (1L << 50)) {
            return Optional.empty();
        }
        long usage = Math.max(0, bytes(folder.resolve(usageFile)));
        long inactive = Math.max(0, statValue(folder.resolve("memory.stat"), inactiveKey));
        long used = Math.max(0, usage - inactive);
        return Optional.of(new Limit(folder, limit / MB, Math.max(0, limit - used) / MB));
    }

    /** A file holding one number of bytes ("max" means none); -1 when missing or unreadable. */
    static long bytes(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return text.equals("max") ? Long.MAX_VALUE : Long.parseLong(text);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** One {@code key value} line of a {@code memory.stat} file; -1 when missing. */
    static long statValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                if (line.startsWith(key + " ")) {
                    return Long.parseLong(line.substring(key.length() + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // Missing or unreadable: unknown.
        }
        return -1;
    }
}
