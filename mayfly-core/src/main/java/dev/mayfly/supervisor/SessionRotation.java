package dev.mayfly.supervisor;

import dev.mayfly.config.Settings;
import dev.mayfly.memory.JobReading;
import dev.mayfly.memory.MemoryJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * When a command agent that can resume its session is stopped so that it continues in a fresh
 * process: its process tree has passed the rotation threshold (a percentage of its memory cap) and
 * it is at a safe point, or it has passed the higher, forced threshold.
 *
 * <p>A safe point is a moment when stopping the agent loses nothing that its session does not
 * keep: no tool process of its own is running (its tree holds only the agent, and the worker JVM
 * around it in a worker: a command it started would be cut off mid-way), and its output has been
 * quiet for a while (the task's log has not changed: a tool that streams output, or a model's
 * answer being printed, is work in flight). Both are read from outside the agent, so they hold
 * for any program, in any language. An agent that keeps helper processes running all the time
 * never reaches a safe point; the forced threshold then rotates it before its cap ends it.
 */
public final class SessionRotation {

    /** How often the tree and the log are looked at. */
    static final Duration LOOK_EVERY = Duration.ofMillis(100);

    /**
     * The agent is to be stopped: why, and whether without a safe point (past the forced threshold).
     * At a safe point the agent is stopped only once it has no child process right then, checked
     * where it is signalled: the tree this decision read may be a look old.
     */
    public record Decision(String why, boolean forced) {}

    /** The thresholds and the quiet a safe point needs (docs/rotation.md). */
    public record Rules(double rotatePercent, double forcePercent, Duration quiet) {

        public static Rules of(Settings settings) {
            return new Rules(settings.rotatePercent(), settings.resume().forcePercent(), settings.resume().quiet());
        }
    }

    private final MemoryJob job;
    private final Path log;
    private final int baseProcesses;
    private final Rules rules;
    private final Clock clock;
    private final Consumer<Decision> rotate;
    private final long startedMillis;
    private ScheduledFuture<?> looking;
    private boolean decided;

    /**
     * @param baseProcesses the processes of the tree that are not tools: the agent (1), and its worker JVM (2)
     * @param rotate stops the agent, told why
     */
    public SessionRotation(MemoryJob job, Path log, int baseProcesses, Rules rules, Clock clock, Consumer<Decision> rotate) {
        this.job = job;
        this.log = log;
        this.baseProcesses = baseProcesses;
        this.rules = rules;
        this.clock = clock;
        this.rotate = rotate;
        this.startedMillis = clock.millis();
    }

    public SessionRotation start(ScheduledExecutorService timers) {
        try {
            looking = timers.scheduleWithFixedDelay(this::look, LOOK_EVERY.toMillis(), LOOK_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The supervisor is stopping: the task ends now, there is nothing to rotate to.
        }
        return this;
    }

    public void stop() {
        if (looking != null) {
            looking.cancel(false);
        }
    }

    private synchronized void look() {
        if (decided) {
            return;
        }
        Optional<Decision> decision = job.latest().flatMap(this::decide);
        if (decision.isPresent()) {
            decided = true;
            stop();
            rotate.accept(decision.get());
        }
    }

    /** Whether, and why, the agent should be stopped now. */
    private Optional<Decision> decide(JobReading reading) {
        double percent = 100.0 * reading.residentMb() / job.capMb();
        if (percent < rules.rotatePercent()) {
            return Optional.empty();
        }
        String memory = String.format(Locale.ROOT, "its processes hold %.0f MB, %.0f%% of their %d MB cap",
                reading.residentMb(), percent, job.capMb());
        long quietMs = quietMillis();
        if (reading.processes() <= baseProcesses && quietMs >= rules.quiet().toMillis()) {
            return Optional.of(new Decision(memory + " (MAYFLY_ROTATE_PERCENT " + format(rules.rotatePercent())
                    + "), at a safe point: no tool running, output quiet for " + quietMs + " ms", false));
        }
        if (percent >= rules.forcePercent()) {
            return Optional.of(new Decision(memory + ", past MAYFLY_ROTATE_FORCE_PERCENT " + format(rules.forcePercent())
                    + " with no safe point (" + (reading.processes() - baseProcesses) + " tool process(es) running, "
                    + "output quiet for " + quietMs + " ms): stopped anyway", true));
        }
        return Optional.empty();
    }

    /**
     * How long the task's log (and the ring file that holds its tail while it runs) has not changed,
     * counted from this attempt's start at most.
     */
    private long quietMillis() {
        long last = 0;
        for (Path file : new Path[] {log, log.resolveSibling(log.getFileName() + ".tail")}) {
            try {
                last = Math.max(last, Files.getLastModifiedTime(file).toMillis());
            } catch (IOException e) {
                // Not there (yet): nothing written to it.
            }
        }
        return clock.millis() - Math.max(last, startedMillis);
    }

    private static String format(double percent) {
        return String.format(Locale.ROOT, "%.0f%%", percent);
    }
}
