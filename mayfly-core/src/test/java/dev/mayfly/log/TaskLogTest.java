package dev.mayfly.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.config.StrictUtf8;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task's log stays within its cap, keeping its head and its tail and saying exactly how much was cut. */
class TaskLogTest {

    private static final int CAP = 4096;
    private static final Pattern MARKER = Pattern.compile("\n\\[… ([0-9]+) bytes cut here: [^\n]*\n");

    @TempDir
    Path folder;

    private Path log() {
        return folder.resolve("task.log");
    }

    /** Writes lines "line N" (from {@code first}), one write each, and returns all that was written. */
    private static String writeLines(TaskLog log, int first, int count) throws Exception {
        StringBuilder all = new StringBuilder();
        for (int i = first; i < first + count; i++) {
            String line = "line " + i + "\n";
            log.write(line.getBytes(StandardCharsets.UTF_8));
            all.append(line);
        }
        return all.toString();
    }

    /** The log's text, checked: head, one marker, tail; the marker's count is what is missing. */
    private String checkedLog(String written) throws Exception {
        String text = StrictUtf8.decode("the log", Files.readAllBytes(log()));
        Matcher marker = MARKER.matcher(text);
        assertThat(marker.find()).as("one marker").isTrue();
        String head = text.substring(0, marker.start());
        String tail = text.substring(marker.end());
        assertThat(marker.find()).as("only one marker").isFalse();
        assertThat(written).startsWith(head).endsWith(tail);
        long cut = Long.parseLong(MARKER.matcher(text).results().findFirst().orElseThrow().group(1));
        assertThat(head.getBytes(StandardCharsets.UTF_8).length + cut + tail.getBytes(StandardCharsets.UTF_8).length)
                .as("head + cut + tail is everything written").isEqualTo(written.getBytes(StandardCharsets.UTF_8).length);
        assertThat(Files.size(log())).isLessThanOrEqualTo(CAP + 200);
        assertThat(folder.resolve("task.log.tail")).doesNotExist();
        return text;
    }

    @Test
    void a_log_within_its_cap_is_kept_whole() throws Exception {
        String written;
        try (TaskLog log = TaskLog.open(log(), CAP)) {
            written = writeLines(log, 0, 100);
        }
        assertThat(Files.readString(log())).isEqualTo(written);
        assertThat(folder.resolve("task.log.tail")).doesNotExist();
    }

    @Test
    void a_flood_keeps_the_first_quarter_and_the_last_three_quarters() throws Exception {
        String written;
        try (TaskLog log = TaskLog.open(log(), CAP)) {
            written = writeLines(log, 0, 20_000);
        }
        String text = checkedLog(written);
        assertThat(text).startsWith("line 0\nline 1\n").endsWith("line 19999\n")
                .contains("a task's log keeps its first 1 KB and last 3 KB (MAYFLY_TASK_LOG_MAX_MB)");
    }

    @Test
    void one_write_larger_than_the_whole_tail_keeps_its_end() throws Exception {
        String written = "x".repeat(10_000) + "THE END\n";
        try (TaskLog log = TaskLog.open(log(), CAP)) {
            log.write(written.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(checkedLog(written)).endsWith("THE END\n");
    }

    @Test
    void cuts_fall_between_characters() throws Exception {
        // Two- and three-byte characters, so that both cuts would land inside one if not moved.
        String written = "é€".repeat(3_000);
        try (TaskLog log = TaskLog.open(log(), CAP)) {
            for (int i = 0; i < written.length(); i += 7) {
                log.write(written.substring(i, Math.min(written.length(), i + 7)).getBytes(StandardCharsets.UTF_8));
            }
        }
        checkedLog(written);
    }

    @Test
    void every_attempt_appends_and_the_log_stays_within_its_cap() throws Exception {
        StringBuilder written = new StringBuilder();
        for (int attempt = 0; attempt < 3; attempt++) {
            try (TaskLog log = TaskLog.open(log(), CAP)) {
                written.append(writeLines(log, attempt * 1000, 1000));
            }
        }
        assertThat(checkedLog(written.toString())).startsWith("line 0\n").endsWith("line 2999\n");
    }

    @Test
    void a_short_attempt_after_a_long_one_keeps_the_earlier_tail_before_its_own() throws Exception {
        String first;
        try (TaskLog log = TaskLog.open(log(), CAP)) {
            first = writeLines(log, 0, 1000);
        }
        String second;
        try (TaskLog log = TaskLog.open(log(), CAP)) {
            second = writeLines(log, 5000, 3);
        }
        assertThat(checkedLog(first + second)).endsWith("line 999\nline 5000\nline 5001\nline 5002\n");
    }

    @Test
    void a_log_written_without_a_cap_is_brought_within_it_when_reopened() throws Exception {
        StringBuilder old = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            old.append("old ").append(i).append('\n');
        }
        Files.writeString(log(), old);
        String added;
        try (TaskLog log = TaskLog.open(log(), CAP)) {
            added = writeLines(log, 0, 2);
        }
        assertThat(checkedLog(old + added)).startsWith("old 0\n").endsWith("old 4999\nline 0\nline 1\n");
    }
}
