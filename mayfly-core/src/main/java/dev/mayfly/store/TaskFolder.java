package dev.mayfly.store;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a task's folder holds beside the store's records: the end of its log and a heap dump. Read
 * where the folder is (the supervisor's machine), and shown with the task's detail
 * ({@link RecordJson#detail}) wherever it is looked at.
 */
public final class TaskFolder {

    public static final int LOG_TAIL_LINES = 20;
    private static final int LOG_TAIL_BYTES = 16 * 1024;

    private TaskFolder() {}

    /** The last lines of the task's log, read from its end (a log may be gigabytes). */
    public static List<String> logTail(TaskRecord task) {
        if (task.logPath() == null || !Files.isRegularFile(Path.of(task.logPath()))) {
            return List.of();
        }
        try (RandomAccessFile file = new RandomAccessFile(task.logPath(), "r")) {
            long length = file.length();
            int size = (int) Math.min(length, LOG_TAIL_BYTES);
            byte[] bytes = new byte[size];
            file.seek(length - size);
            file.readFully(bytes);
            List<String> lines = new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R")));
            if (size < length && !lines.isEmpty()) {
                lines.remove(0);
            }
            return lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
        } catch (IOException e) {
            return List.of("(cannot read " + task.logPath() + ": " + e.getMessage() + ")");
        }
    }

    /** A heap dump in the task's folder (the production profile writes one on out-of-memory), or null. */
    public static Path heapDump(TaskRecord task) {
        if (task.logPath() == null) {
            return null;
        }
        Path folder = Path.of(task.logPath()).getParent();
        if (!Files.isDirectory(folder)) {
            return null;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".hprof")).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
