package dev.mayfly.supervisor;

import dev.mayfly.store.AttemptRecord;
import dev.mayfly.task.TaskRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The line that opens each later attempt's part of a task's log, so that one log holding every
 * attempt's output says where each begins, why, and what it runs when that differs from the first
 * (a command agent continuing its own session).
 */
public final class AttemptBanner {

    private static final int WORD_CHARS = 60;

    private AttemptBanner() {}

    /** The banner for attempt {@code attempt} (2 or later) running {@code request}, as the log's bytes. */
    public static byte[] of(int attempt, AttemptRecord.Kind kind, TaskRequest request) {
        String line = "==== mayfly: attempt " + attempt + " (" + kind.label() + ")"
                + (request.agent().resume() == null ? ""
                        : ", continuing its session: " + oneLine(request.agent().commandLine()))
                + " ====\n";
        return line.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A command line on one line, each word cut at {@value #WORD_CHARS} characters: a program given
     * inline ({@code node -e …}) would otherwise hide the arguments after it.
     */
    private static String oneLine(List<String> words) {
        return words.stream().map(word -> word.replaceAll("\\s+", " "))
                .map(word -> word.length() <= WORD_CHARS ? word : word.substring(0, WORD_CHARS) + "…")
                .collect(Collectors.joining(" "));
    }
}
