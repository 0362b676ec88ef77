package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.json.Json;
import dev.mayfly.store.postgresql.EmbeddedDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MAYFLY_STORE_URL as a user sets it: the store is where it says, for every command, and a bad one is named. */
class StoreUrlProcessTest {

    @TempDir
    Path workDir;

    @Test
    void a_store_named_by_its_url_holds_the_tasks_and_every_command_reads_it_there() throws Exception {
        Path store = workDir.resolve("shared/tasks.db");
        Map<String, String> environment = Map.of("MAYFLY_STORE_URL", "sqlite:" + store);

        MayflyProcess.Result run = MayflyProcess.run(workDir, environment, "run", "--json", "--prompt", "Say hi", "--",
                "sh", "-c", "echo hi");
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCodes.OK);
        String taskId = Json.readObject(run.stdout().trim()).get("taskId").toString();
        assertThat(store).exists();
        assertThat(workDir.resolve(".mayfly/workers.db")).doesNotExist();

        MayflyProcess.Result status = MayflyProcess.run(workDir, environment, "status");
        assertThat(status.stdout()).contains(taskId);
        MayflyProcess.Result logs = MayflyProcess.run(workDir, environment, "logs", taskId);
        assertThat(logs.exitCode()).as(logs.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(logs.stdout()).contains("hi");
        // Without the setting, the default store, which does not exist.
        assertThat(MayflyProcess.run(workDir, Map.of(), "status").stdout())
                .contains("No tasks yet: there is no store at " + workDir.resolve(".mayfly/workers.db"));
    }

    @Test
    void a_store_url_this_mayfly_cannot_open_is_named_with_what_is_accepted() throws Exception {
        MayflyProcess.Result result = MayflyProcess.run(workDir, Map.of("MAYFLY_STORE_URL", "mysql://db/mayfly"),
                "run", "--prompt", "Say hi", "--", "true");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.stderr()).contains("invalid MAYFLY_STORE_URL 'mysql://db/mayfly': expected sqlite:FILE, "
                + "a SQLite file absolute or relative to MAYFLY_HOME (the default is sqlite:workers.db), or "
                + "jdbc:postgresql://HOST[:PORT]/DATABASE");
        assertThat(workDir.resolve(".mayfly/workers.db")).doesNotExist();
    }

    @Test
    void a_postgresql_store_runs_and_lists_tasks_and_one_that_cannot_be_reached_is_said_without_its_password()
            throws Exception {
        Map<String, String> shared = Map.of("MAYFLY_STORE_URL", EmbeddedDatabase.newDatabaseUrl());
        MayflyProcess.Result ran = MayflyProcess.run(workDir, shared, "run", "--prompt", "Say hi", "--", "echo", "hi");
        assertThat(ran.exitCode()).as(ran.stderr()).isZero();
        assertThat(MayflyProcess.run(workDir, shared, "status").stdout()).contains("Say hi", "completed");
        assertThat(workDir.resolve(".mayfly/workers.db")).as("no SQLite file beside it").doesNotExist();

        MayflyProcess.Result unreachable = MayflyProcess.run(workDir, Map.of("MAYFLY_STORE_URL",
                "jdbc:postgresql://127.0.0.1:1/mayfly?user=mayfly&password=s3cret"), "run", "--prompt", "Say hi", "--", "true");
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.stderr()).contains("mayfly: error: cannot open the store jdbc:postgresql://127.0.0.1:1/mayfly "
                + "(user mayfly): Connection to 127.0.0.1:1 refused").doesNotContain("s3cret");
    }
}
