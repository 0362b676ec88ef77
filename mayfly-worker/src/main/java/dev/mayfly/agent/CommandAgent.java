package dev.mayfly.agent;

import dev.mayfly.api.Agent;
import dev.mayfly.api.OutputTail;
import dev.mayfly.api.TaskContext;
import dev.mayfly.process.JobLaunch;
import dev.mayfly.process.ProcessTree;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program as the agent (a CLI agent such as {@code claude -p}), without a shell.
 *
 * <p>The prompt goes to the program's standard input, and into {@code MAYFLY_PROMPT} when it is at
 * most {@value #PROMPT_ENV_MAX_BYTES} bytes; a longer one is written to {@code prompt.txt} in the
 * task's folder, which {@code MAYFLY_PROMPT_FILE} names. (Linux refuses to start a program with
 * any one environment string over 128 KB, "Argument list too long", and all of them together must
 * fit in a quarter of the stack limit.) Each parameter goes into {@code MAYFLY_PARAM_<NAME>}. Everything the program prints, on either stream,
 * goes to the task's log, and the last {@value #TAIL_BYTES} bytes into the result. Exit code 0
 * is success; any other fails the task with that exit code. On cancel the program and everything
 * it started are stopped, politely first.
 */
final class CommandAgent implements Agent {

    static final int TAIL_BYTES = 8 * 1024;
    static final int PROMPT_ENV_MAX_BYTES = 64 * 1024;
    static final String PROMPT_FILE_NAME = "prompt.txt";
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int REFRESH_EVERY_POLLS = 10;
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    /** How long a program stopped for a rotation gets to save its session and exit after SIGTERM. */
    private static final Duration SAVE_GRACE = Duration.ofSeconds(5);
    /** The most CPU a program may use between two polls and still count as idle (waiting, for its model say). */
    private static final Duration IDLE_CPU = Duration.ofMillis(10);

    private final List<String> commandLine;
    private final OutputStream log;
    private final JobLaunch launch;
    private final Path streamFile;

    /**
     * @param launch the task's mark and limits for the program, and where it is placed (in-process; a worker's are inherited)
     * @param streamFile where the program's standard output (not its error stream) is copied as well, as it
     *     comes, or null; then its two streams are read apart, and meet in the log a read at a time
     */
    CommandAgent(List<String> commandLine, OutputStream log, JobLaunch launch, Path streamFile) {
        this.commandLine = List.copyOf(commandLine);
        this.log = log;
        this.launch = launch;
        this.streamFile = streamFile;
    }

    @Override
    public Object run(TaskContext context) throws Exception {
        ProcessBuilder builder = launch.builder(commandLine)
                .directory(context.workDir().toFile())
                .redirectErrorStream(streamFile == null);
        Map<String, String> environment = builder.environment();
        promptInEnvironment(context, environment);
        environment.put("MAYFLY_TASK_ID", context.taskId());
        context.params().forEach((name, value) ->
                environment.put("MAYFLY_PARAM_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), value));
        try (OutputStream stream = streamFile == null ? null
                : Files.newOutputStream(streamFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            return run(context, builder, stream);
        }
    }

    private Object run(TaskContext context, ProcessBuilder builder, OutputStream stream) throws Exception {
        Map<String, String> environment = builder.environment();
        Process process = builder.start();
        ProcessTree tree = new ProcessTree(process.toHandle());
        OutputTail tail = new OutputTail(TAIL_BYTES);
        Thread copier = stream == null ? tail.readInBackground(process.getInputStream(), log, "mayfly-command-output")
                : OutputTail.copyInBackground(process.getInputStream(), new Tee(new WholeLines(log, tail), stream),
                        "mayfly-command-output");
        Thread errors = stream == null ? null : OutputTail.copyInBackground(process.getErrorStream(),
                new WholeLines(log, tail), "mayfly-command-errors");
        feedPrompt(process, context.prompt());
        boolean cancelled = false;
        boolean rotated = false;
        long lastCpuNanos = -1;
        for (int poll = 1; !process.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS); poll++) {
            // Descendants are noted now and then, before a parent that ends hands them to init; it costs a
            // scan of all of /proc, so not at every poll. (What detaches anyway carries the task's mark, by
            // which the supervisor ends it with the task.)
            if (poll % REFRESH_EVERY_POLLS == 0) {
                tree.refresh();
            }
            if (context.cancelled()) {
                cancelled = true;
                tree.stop(STOP_GRACE);
                break;
            }
            if (context.rotationRequested()) {
                // A safe point, seen from here just now: the program runs no tool of its own and has been idle
                // since the last poll (a busy program hears a signal only once it is done, maybe with a tool
                // started). Then SIGTERM, which these programs take as "exit" (their sessions are written as
                // they go), sent directly; then what is left is killed.
                long cpuNanos = process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
                boolean idle = cpuNanos < 0 || (lastCpuNanos >= 0 && cpuNanos - lastCpuNanos < IDLE_CPU.toNanos());
                lastCpuNanos = cpuNanos;
                if (forced(context) || (idle && process.descendants().findAny().isEmpty())) {
                    rotated = true;
                    process.destroy();
                    process.waitFor(SAVE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                    break;
                }
            }
        }
        // Whatever the program left running in the background ends with the task.
        tree.kill();
        copier.join(STOP_GRACE.toMillis());
        if (errors != null) {
            errors.join(STOP_GRACE.toMillis());
        }
        int exitCode = process.waitFor();
        if (rotated) {
            throw new SessionRotatedException(commandLine.get(0), exitCode);
        }
        if (cancelled) {
            throw new CancellationException(commandLine.get(0) + " was stopped on request");
        }
        if (exitCode != 0) {
            throw new CommandFailedException(commandLine.get(0), exitCode, tail.text(), environment.get("NODE_OPTIONS"));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("exitCode", exitCode);
        result.put("output", tail.text());
        return result;
    }

    /** Whether a rotation asked for may cut off the program's running tools (its memory is near its cap). */
    private static boolean forced(TaskContext context) {
        return context instanceof RunningTask running && running.rotationForced();
    }

    private static void promptInEnvironment(TaskContext context, Map<String, String> environment) throws IOException {
        // Whatever the user's own shell had under these names must not reach the program as this task's prompt.
        environment.remove("MAYFLY_PROMPT");
        environment.remove("MAYFLY_PROMPT_FILE");
        byte[] prompt = context.prompt().getBytes(StandardCharsets.UTF_8);
        if (prompt.length <= PROMPT_ENV_MAX_BYTES) {
            environment.put("MAYFLY_PROMPT", context.prompt());
        } else {
            Path file = context.outputDir().resolve(PROMPT_FILE_NAME);
            Files.write(file, prompt);
            environment.put("MAYFLY_PROMPT_FILE", file.toAbsolutePath().toString());
        }
    }

    /** A streamed program's standard output: into the log and the stream file. */
    private static final class Tee extends OutputStream {

        private final OutputStream log;
        private final OutputStream stream;

        Tee(OutputStream log, OutputStream stream) {
            this.log = log;
            this.stream = stream;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            log.write(bytes, offset, length);
            stream.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            log.flush();
            stream.flush();
        }
    }

    /**
     * One of a streamed program's two streams on their way into the shared log and output tail, a
     * whole line at a time: read apart, the pipes' chunks would otherwise cut a line of one with a
     * piece of the other. A line longer than {@value #MAX_HELD} bytes (a progress bar that never
     * ends one) goes in as it is; what is held when the stream ends goes in at its flush.
     */
    private static final class WholeLines extends OutputStream {

        private static final int MAX_HELD = 64 * 1024;

        private final OutputStream log;
        private final OutputTail tail;
        private final ByteArrayOutputStream held = new ByteArrayOutputStream();

        WholeLines(OutputStream log, OutputTail tail) {
            this.log = log;
            this.tail = tail;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            int lastNewline = -1;
            for (int i = offset + length - 1; i >= offset; i--) {
                if (bytes[i] == '\n') {
                    lastNewline = i;
                    break;
                }
            }
            if (lastNewline < 0) {
                held.write(bytes, offset, length);
                if (held.size() > MAX_HELD) {
                    flush();
                }
                return;
            }
            synchronized (log) {
                emit(held.toByteArray(), 0, held.size());
                emit(bytes, offset, lastNewline + 1 - offset);
            }
            held.reset();
            held.write(bytes, lastNewline + 1, offset + length - lastNewline - 1);
        }

        @Override
        public void flush() throws IOException {
            synchronized (log) {
                emit(held.toByteArray(), 0, held.size());
                log.flush();
            }
            held.reset();
        }

        private void emit(byte[] bytes, int offset, int length) throws IOException {
            log.write(bytes, offset, length);
            tail.write(bytes, offset, length);
        }
    }

    /** Writes the prompt on its own thread: a program that never reads its input must not block us. */
    private static void feedPrompt(Process process, String prompt) {
        Thread feeder = new Thread(() -> {
            try (OutputStream input = process.getOutputStream()) {
                input.write(prompt.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // The program closed its input or ended: it did not want the prompt there.
            }
        }, "mayfly-command-input");
        feeder.setDaemon(true);
        feeder.start();
    }
}
