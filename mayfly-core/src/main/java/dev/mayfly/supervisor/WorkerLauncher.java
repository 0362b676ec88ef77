package dev.mayfly.supervisor;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mayfly.api.Agent;
import dev.mayfly.config.Profile;
import dev.mayfly.errors.MayflyException;
import dev.mayfly.json.Json;
import dev.mayfly.process.JobLaunch;
import dev.mayfly.worker.WorkerMain;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Starts worker JVMs: the same {@code java} that runs the supervisor, a heap cap, and a classpath
 * that holds only what a worker needs (the API, the worker runtime, Jackson).
 *
 * <p>The JVM options and why:
 * <ul>
 *   <li>{@code -Xmx}: the task's heap cap, the whole point;</li>
 *   <li>{@code -XX:+ExitOnOutOfMemoryError}: heap exhaustion ends the JVM at once with exit code
 *       3, a cause we can name, instead of a half-working agent that caught the error;</li>
 *   <li>{@code -XX:MaxMetaspaceSize}, {@code -XX:MaxDirectMemorySize}: class metadata and direct
 *       buffers are outside the heap; bounding them keeps the process near its cap;</li>
 *   <li>{@code -Xshare:auto} and an archive of the worker's own classes ({@link WorkerClassArchive}),
 *       for a faster start;</li>
 *   <li>{@code -XX:-UsePerfData}: no hsperfdata file to create, about 3 ms of every start; the
 *       price is that {@code jps} does not list workers ({@code jcmd <pid>} still works);</li>
 *   <li>{@code -XX:TieredStopAtLevel} is not set: tasks are long, so the optimising compiler pays off.</li>
 *   <li>{@code -XX:CompileThresholdScaling=3}: methods are compiled after three times as many calls
 *       and loops. A worker's start is one pass through code that never runs again, and the compiler
 *       threads took a sixth of its CPU compiling it; a long task's hot code is still compiled, a few
 *       milliseconds later. An empty task then costs a tenth less CPU, as much as {@code -Xint} saves
 *       (docs/benchmarks.md, "A worker's compiler").</li>
 * </ul>
 */
public final class WorkerLauncher {

    /** The exit code of {@code -XX:+ExitOnOutOfMemoryError}. */
    public static final int OUT_OF_MEMORY_EXIT_CODE = 3;
    static final int METASPACE_MB = 256;

    private final Path javaExecutable;
    private final String classpath;
    private final List<String> extraOptions;
    private final Profile profile;
    private final WorkerClassArchive archive;

    /**
     * @param profile adds its worker options (docs/production.md)
     * @param archiveDir where to keep the worker class archive, or null for none
     */
    public WorkerLauncher(Path javaExecutable, String classpath, List<String> extraOptions, Profile profile,
            Path archiveDir) {
        this.javaExecutable = javaExecutable;
        this.classpath = classpath;
        this.extraOptions = List.copyOf(extraOptions);
        this.profile = profile;
        this.archive = archiveDir != null && WorkerClassArchive.possible(classpath)
                ? new WorkerClassArchive(archiveDir, classpath) : null;
    }

    /**
     * The launcher for this JVM's own {@code java} and the worker classpath found beside it.
     *
     * @param profile adds its worker options
     * @param archiveDir where to keep the worker class archive, or null for none
     */
    public static WorkerLauncher fromCurrentJvm(Profile profile, Path archiveDir) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new WorkerLauncher(java, workerClasspath(), List.of(), profile, archiveDir);
    }

    /** The jars (or class folders) holding the classes a worker needs, wherever they were loaded from. */
    static String workerClasspath() {
        Set<String> entries = new LinkedHashSet<>();
        // Only what every worker needs: an agent's own jars come with its spec (the analysis's too).
        for (Class<?> type : List.of(WorkerMain.class, Agent.class, Json.class, JsonFactory.class, ObjectMapper.class,
                JsonProperty.class)) {
            try {
                entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (URISyntaxException | NullPointerException e) {
                throw new MayflyException("cannot find where " + type.getName() + " was loaded from, for the worker "
                        + "classpath", e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private List<String> command(int heapMb, int port, String workerId, Path taskFolder, List<String> archiveOptions,
            boolean standby) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable.toString());
        command.add("-Xmx" + heapMb + "m");
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-XX:MaxMetaspaceSize=" + METASPACE_MB + "m");
        command.add("-XX:MaxDirectMemorySize=" + Math.max(64, heapMb / 4) + "m");
        command.add("-Xshare:auto");
        command.add("-XX:-UsePerfData");
        command.add("-XX:CompileThresholdScaling=3");
        command.add("-Dfile.encoding=UTF-8");
        command.addAll(archiveOptions);
        command.addAll(profile.workerOptions(taskFolder));
        command.addAll(extraOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(WorkerMain.class.getName());
        command.add("--port");
        command.add(Integer.toString(port));
        command.add("--worker-id");
        command.add(workerId);
        if (standby) {
            command.add(WorkerMain.STANDBY);
            command.add("yes");
        }
        return command;
    }

    /**
     * What one worker is started with.
     *
     * @param port the loopback port the worker connects to
     * @param secret what the worker must present when it connects; written to its standard input,
     *     which neither other users nor the worker's own agents can read (unlike its command line
     *     or its environment)
     * @param taskFolder the task's folder (for the production profile's heap dump and GC log); for a worker
     *     started before its task, a folder of its own, whose files go to the task's folder once it is done
     * @param job the task's mark and limits for everything it starts, and where it is placed (its cgroup)
     * @param standby whether it is started ahead of its task, and so warms up fully before it connects
     */
    public record Start(int heapMb, int port, String secret, String workerId, Path workDir, Path taskFolder, JobLaunch job,
            boolean standby) {}

    /** Starts the worker; its standard output and error come back merged, for the task's log. */
    public Process start(Start start) throws IOException {
        List<String> archiveOptions = archive == null ? List.of() : archive.options();
        boolean writesArchive = WorkerClassArchive.writes(archiveOptions);
        ProcessBuilder builder = start.job().builder(command(start.heapMb(), start.port(), start.workerId(),
                        start.taskFolder(), archiveOptions, start.standby()))
                .directory(start.workDir().toFile())
                .redirectErrorStream(true);
        try {
            Process process = builder.start();
            if (writesArchive) {
                archive.writerStarted(process.pid());
            }
            // The secret goes on its standard input, which is then closed (what the agent reads there is the
            // end): in its environment every agent and program in the worker would inherit it.
            try (OutputStream input = process.getOutputStream()) {
                input.write((start.secret() + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            return process;
        } catch (IOException | RuntimeException e) {
            if (writesArchive) {
                archive.workerExited(0, -1);
            }
            throw e;
        }
    }

    /** Tells the launcher a worker has exited (the archive it may have written can now be used). */
    public void exited(Process process) {
        if (archive != null) {
            archive.workerExited(process.pid(), process.exitValue());
        }
    }
}
