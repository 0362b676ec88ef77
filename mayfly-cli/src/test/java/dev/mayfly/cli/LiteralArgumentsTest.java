package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.json.Json;
import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every argument is taken as written: none is replaced by the contents of a file. */
class LiteralArgumentsTest {

    @TempDir
    Path workDir;

    @Test
    void an_argument_starting_with_at_is_not_read_as_a_file() throws Exception {
        Files.writeString(workDir.resolve("alice"), "SECRET-CONTENTS-OF-ALICE");

        MayflyProcess.Result result = MayflyProcess.run(workDir, Map.of(), "run", "--json", "--no-workers",
                "--prompt", "@alice", "--", "echo", "@alice");

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(result.stdout() + result.stderr()).doesNotContain("SECRET-CONTENTS-OF-ALICE");
        Map<String, Object> json = Json.readObject(result.stdout().trim());
        assertThat(((Map<?, ?>) json.get("result")).get("output")).isEqualTo("@alice\n");
        try (JdbcTaskStore store = SqliteStore.open(workDir.resolve(".mayfly/workers.db"))) {
            assertThat(store.findTask(json.get("taskId").toString()).orElseThrow().prompt()).isEqualTo("@alice");
        }
    }
}
