package dev.mayfly.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How Mayfly's JVMs are tuned: {@code default}, or {@code production} for supervisors that live for
 * days and workers whose failures must be examinable afterwards. docs/production.md gives the
 * reason for every option.
 */
public enum Profile {
    DEFAULT,
    PRODUCTION;

    /** The system property {@code ./mayfly} sets on a supervisor JVM started with the profile's options. */
    public static final String APPLIED_PROPERTY = "mayfly.profile";

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Profile parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }

    /**
     * The worker JVM options this profile adds to the ones every worker has (heap cap, exit on
     * out-of-memory, metaspace and direct-memory bounds).
     *
     * @param taskFolder the task's folder, where a heap dump and the GC log go
     */
    public List<String> workerOptions(Path taskFolder) {
        List<String> options = new ArrayList<>();
        if (this == PRODUCTION) {
            options.add("-XX:+UseG1GC");
            options.add("-XX:+HeapDumpOnOutOfMemoryError");
            options.add("-XX:HeapDumpPath=" + taskFolder.resolve("heap.hprof"));
            options.add("-Xlog:gc*:file=" + taskFolder.resolve("gc.log") + ":time,uptime,level,tags:filecount=2,filesize=20m");
            options.add("-XX:+UseStringDeduplication");
        }
        return options;
    }
}
