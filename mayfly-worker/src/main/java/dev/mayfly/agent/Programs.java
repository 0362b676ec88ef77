package dev.mayfly.agent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a program the way a shell would, without a shell. */
final class Programs {

    private Programs() {}

    /** The executable for {@code program}, or null when there is none. */
    static Path find(String program) {
        if (program.contains(File.separator)) {
            Path path = Path.of(program);
            return Files.isExecutable(path) && !Files.isDirectory(path) ? path : null;
        }
        String searchPath = System.getenv("PATH");
        if (searchPath == null) {
            return null;
        }
        for (String folder : searchPath.split(File.pathSeparator)) {
            if (folder.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(folder, program);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
