package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.json.Json;
import dev.mayfly.store.JdbcTaskStore;
import dev.mayfly.store.SqliteStore;
import dev.mayfly.support.TestSettings;
import dev.mayfly.testagents.HelloAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What an agent prints goes to its task's log, in both modes; with --json, standard output is exactly the JSON. */
class AgentOutputTest {

    @TempDir
    Path workDir;

    @ParameterizedTest(name = "workers {0}")
    @ValueSource(booleans = {true, false})
    void a_java_agent_s_output_goes_to_its_log_and_never_into_mayfly_s_json(boolean workers) throws Exception {
        MayflyProcess.Result result = MayflyProcess.run(workDir, Map.of(), "run", "--json",
                workers ? "--workers" : "--no-workers", "--complexity", "high", "--prompt", "Implement a greeting",
                "--agent", "java:" + HelloAgent.class.getName(), "--classpath", TestSettings.testClasses().toString());

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(result.stdout().lines().count()).as(result.stdout()).isEqualTo(1);
        Map<String, Object> json = Json.readObject(result.stdout());
        String taskId = json.get("taskId").toString();
        assertThat(result.stderr()).doesNotContain("hello on");
        try (JdbcTaskStore store = SqliteStore.open(workDir.resolve(".mayfly/workers.db"))) {
            String log = Files.readString(Path.of(store.findTask(taskId).orElseThrow().logPath()));
            assertThat(log).contains("hello on stdout from " + taskId, "hello on stderr from " + taskId,
                    "hello from a thread of " + taskId);
        }
    }
}
