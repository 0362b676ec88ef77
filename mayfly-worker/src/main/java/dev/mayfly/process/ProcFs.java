package dev.mayfly.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Linux's process table as {@code /proc} shows it: which processes exist, whose they are, how much
 * memory they hold. Every read tolerates a process that ends in the middle of it (it then reads as
 * gone), and a process of another user (unreadable files read as not ours).
 *
 * <p>What costs what, measured on this project's build machine (docs/memory.md): listing the
 * processes and reading one {@code status} take tens of microseconds; {@code smaps_rollup}, which
 * gives the proportional set size, makes the kernel walk the process's page tables, about 10 ms for
 * 1.5 GB resident. So the cheap reads are made often and {@code smaps_rollup} rarely.
 */
public final class ProcFs {

    private static final ProcFs SYSTEM = new ProcFs(Path.of("/proc"));

    private final Path root;

    ProcFs(Path root) {
        this.root = root;
    }

    public static ProcFs system() {
        return SYSTEM;
    }

    /** Whether this host has a readable {@code /proc} with the files Mayfly uses. */
    public boolean available() {
        return Files.isReadable(root.resolve("self/status")) && Files.isReadable(root.resolve("self/stat"));
    }

    /**
     * The pids alive now, in ascending order (parents usually before their children). Read as plain
     * names: the watch lists /proc several times a second.
     */
    public long[] pids() {
        String[] names = root.toFile().list();
        if (names == null) {
            return new long[0];
        }
        long[] pids = new long[names.length];
        int count = 0;
        for (String name : names) {
            long pid = 0;
            boolean number = !name.isEmpty();
            for (int i = 0; i < name.length() && number; i++) {
                char c = name.charAt(i);
                number = c >= '0' && c <= '9';
                pid = pid * 10 + (c - '0');
            }
            if (number) {
                pids[count++] = pid;
            }
        }
        long[] found = Arrays.copyOf(pids, count);
        Arrays.sort(found);
        return found;
    }

    /**
     * Whether the process runs: false when it is gone, or has exited and waits to be reaped (a
     * zombie holds no memory and can no longer do anything; {@link ProcessHandle#isAlive()} still
     * counts it).
     */
    public boolean alive(long pid) {
        byte[] bytes = read(pid, "stat");
        if (bytes == null) {
            return false;
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        int close = text.lastIndexOf(')');
        char state = close >= 0 && close + 2 < text.length() ? text.charAt(close + 2) : 'X';
        return state != 'Z' && state != 'X' && state != 'x';
    }

    /**
     * Waits until none of the processes runs (see {@link #alive}), looking every 10 ms, at most
     * {@code limit}. (The JDK's own wait for a process that is not a child looks every 300 ms or
     * more, and counts a zombie as running.)
     *
     * @return true when none runs
     */
    public boolean awaitGone(Collection<Long> pids, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (pids.stream().noneMatch(this::alive)) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Who a process is: its parent and its start time (which tells a reused pid apart). */
    public record Stat(long pid, long parentPid, long startTicks) {}

    /** The process's {@code stat}, or null when it is gone. */
    public Stat stat(long pid) {
        byte[] bytes = read(pid, "stat");
        if (bytes == null) {
            return null;
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        // The command name, in parentheses, may itself hold spaces and parentheses: fields follow the last ')'.
        int close = text.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] fields = text.substring(close + 2).split(" ");
        try {
            // fields[0] is field 3 (state), so field 4 (ppid) is [1] and field 22 (starttime) is [19].
            return new Stat(pid, Long.parseLong(fields[1]), Long.parseLong(fields[19]));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The process's environment as it was when it started ({@code NAME=value} entries separated by
     * NUL bytes), or null for a process that is gone or is not ours.
     */
    public byte[] environment(long pid) {
        return read(pid, "environ");
    }

    /** Whether the process's environment holds {@code entry}, a whole {@code NAME=value}. */
    public boolean environmentHas(long pid, byte[] entry) {
        byte[] environ = environment(pid);
        return environ != null && hasEntry(environ, entry);
    }

    /** Whether an environment block has a variable of this name, whatever its value. */
    static boolean hasName(byte[] environ, String name) {
        byte[] prefix = (name + "=").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int start = 0; start < environ.length; ) {
            int end = start;
            while (end < environ.length && environ[end] != 0) {
                end++;
            }
            if (end - start >= prefix.length && regionEquals(environ, start, prefix)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** Whether an environment block holds {@code entry} as one whole entry. */
    static boolean hasEntry(byte[] environ, byte[] entry) {
        if (environ.length < entry.length) {
            return false;
        }
        for (int start = 0; start < environ.length; ) {
            int end = start;
            while (end < environ.length && environ[end] != 0) {
                end++;
            }
            if (end - start == entry.length && regionEquals(environ, start, entry)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static boolean regionEquals(byte[] bytes, int offset, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (bytes[offset + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** A process's resident memory now and its high-water mark, in kB, and its parent now. */
    public record Resident(long rssKb, long peakKb, long parentPid) {}

    /**
     * The process's resident set ({@code VmRSS}, {@code VmHWM}) and parent, from its {@code status};
     * null when it is gone, a zombie, or a kernel thread (none of which has a resident set).
     */
    public Resident resident(long pid) {
        long[] values = fields(read(pid, "status"), "VmRSS:", "VmHWM:", "PPid:");
        return values == null || values[0] < 0 ? null : new Resident(values[0], Math.max(values[0], values[1]), values[2]);
    }

    /**
     * The process's proportional set size in kB: its private pages, plus each shared page divided by
     * the number of processes that map it, so that summing over processes counts every page once.
     * -1 when the process is gone or the kernel has no {@code smaps_rollup} (before Linux 4.14).
     */
    public long proportionalKb(long pid) {
        long[] values = fields(read(pid, "smaps_rollup"), "Pss:");
        return values == null ? -1 : values[0];
    }

    /**
     * The process's command line, its words joined by spaces and cut to {@code max} characters; the
     * program by its file name ({@code python3 -c …}, not {@code /usr/local/bin/python3 -c …}).
     */
    public String commandLine(long pid, int max) {
        byte[] bytes = read(pid, "cmdline");
        String text;
        if (bytes == null || bytes.length == 0) {
            byte[] comm = read(pid, "comm");
            text = comm == null ? "?" : "[" + new String(comm, StandardCharsets.UTF_8).strip() + "]";
        } else {
            int length = bytes.length;
            while (length > 0 && bytes[length - 1] == 0) {
                length--;
            }
            text = new String(bytes, 0, length, StandardCharsets.UTF_8);
            int end = text.indexOf('\0');
            String program = end < 0 ? text : text.substring(0, end);
            text = program.substring(program.lastIndexOf('/') + 1) + (end < 0 ? "" : text.substring(end)).replace('\0', ' ');
        }
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** The host's memory ({@code /proc/meminfo}), or null where it cannot be read. */
    public record HostMemInfo(long totalKb, long availableKb) {}

    public HostMemInfo meminfo() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(root.resolve("meminfo"));
        } catch (IOException e) {
            return null;
        }
        long[] values = fields(bytes, "MemTotal:", "MemAvailable:");
        return values == null || values[0] < 0 || values[1] < 0 ? null : new HostMemInfo(values[0], values[1]);
    }

    /** The pids of every process whose environment holds {@code entry}, this process left out. */
    public List<Long> processesWith(byte[] entry) {
        long self = ProcessHandle.current().pid();
        List<Long> found = new ArrayList<>();
        for (long pid : pids()) {
            if (pid != self && environmentHas(pid, entry) && alive(pid)) {
                found.add(pid);
            }
        }
        return found;
    }

    /**
     * The numbers of the lines that start with these names, in a {@code Name:   value kB} file
     * ({@code status}, {@code smaps_rollup}, {@code meminfo}), -1 for a name not found; null for no file.
     * Read from the bytes, line by line, without making a string of each: the watch reads a task
     * process's {@code status} several times a second.
     */
    private static long[] fields(byte[] file, String... names) {
        if (file == null) {
            return null;
        }
        long[] values = new long[names.length];
        Arrays.fill(values, -1);
        for (int line = 0; line < file.length; ) {
            for (int i = 0; i < names.length; i++) {
                if (startsWith(file, line, names[i])) {
                    values[i] = number(file, line + names[i].length());
                }
            }
            while (line < file.length && file[line] != '\n') {
                line++;
            }
            line++;
        }
        return values;
    }

    private static boolean startsWith(byte[] bytes, int offset, String prefix) {
        if (offset + prefix.length() > bytes.length) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[offset + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The first number from {@code offset} on, within its line; -1 when there is none. */
    private static long number(byte[] bytes, int offset) {
        long value = 0;
        boolean digits = false;
        for (int i = offset; i < bytes.length && bytes[i] != '\n'; i++) {
            byte c = bytes[i];
            if (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                digits = true;
            } else if (digits) {
                break;
            }
        }
        return digits ? value : -1;
    }

    /** Reads one of a process's files; null when the process is gone or the file is not readable. */
    private byte[] read(long pid, String file) {
        try {
            return Files.readAllBytes(root.resolve(Long.toString(pid)).resolve(file));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
