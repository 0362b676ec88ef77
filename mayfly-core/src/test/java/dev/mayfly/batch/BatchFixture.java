package dev.mayfly.batch;

import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A batch file in a test's folder, with the settings of a home there. */
record BatchFixture(Settings settings, Path file, Path folder) {

    static BatchFixture of(Path folder, String... lines) throws IOException {
        Settings settings = new SettingsReader(Map.of("MAYFLY_HOME", folder.resolve("home").toString()), folder)
                .read(SettingsReader.Flags.none());
        return new BatchFixture(settings, Files.write(folder.resolve("tasks.jsonl"), List.of(lines)), folder);
    }

    /** The file read as {@code mayfly batch} reads it, its agent working in the test's folder. */
    BatchFile.Plan read(boolean forServer) {
        return BatchFile.read(file, settings, folder, forServer);
    }
}
