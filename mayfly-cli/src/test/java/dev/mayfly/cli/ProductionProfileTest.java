package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.json.Json;
import dev.mayfly.support.TestSettings;
import dev.mayfly.testagents.AllocatingAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production profile, read back from inside real worker JVMs. */
class ProductionProfileTest {

    @TempDir
    Path workDir;

    @Test
    @SuppressWarnings("unchecked")
    void the_profile_s_options_reach_the_worker_jvm() throws Exception {
        MayflyProcess.Result result = MayflyProcess.run(workDir, Map.of("MAYFLY_PROFILE", "production"),
                "run", "--json", "--workers", "--heap-mb", "64", "--agent", "probe", "--prompt", "Implement a check");

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.OK);
        Map<String, Object> json = Json.readObject(result.stdout().trim());
        Path folder = workDir.resolve(".mayfly/runs/" + json.get("taskId"));
        List<String> options = (List<String>) ((Map<String, Object>) json.get("result")).get("jvmOptions");
        assertThat(options).contains("-Xmx64m", "-XX:+ExitOnOutOfMemoryError", "-XX:MaxMetaspaceSize=256m",
                "-XX:MaxDirectMemorySize=64m", "-XX:+UseG1GC", "-XX:+HeapDumpOnOutOfMemoryError",
                "-XX:HeapDumpPath=" + folder.resolve("heap.hprof"), "-XX:+UseStringDeduplication");
        assertThat(options).anyMatch(option -> option.startsWith("-Xlog:gc*:file=" + folder.resolve("gc.log")));
        assertThat(folder.resolve("gc.log")).exists();
        // Started by this test, not ./mayfly: the supervisor JVM lacks its own options, and says so.
        assertThat(result.stderr()).contains("Profile production: its worker options apply, but this supervisor JVM was "
                + "started without its own");
    }

    @Test
    void without_the_profile_workers_get_only_the_base_options() throws Exception {
        MayflyProcess.Result result = MayflyProcess.run(workDir, Map.of(),
                "run", "--json", "--workers", "--heap-mb", "64", "--agent", "probe", "--prompt", "Implement a check");

        assertThat(result.stdout()).contains("-XX:+ExitOnOutOfMemoryError").doesNotContain("HeapDumpOnOutOfMemoryError");
    }

    @Test
    void an_out_of_memory_worker_leaves_a_heap_dump_that_status_points_to() throws Exception {
        MayflyProcess.Result run = MayflyProcess.run(workDir, Map.of(), "run", "--json", "--profile", "production",
                "--workers", "--heap-mb", "32", "--prompt", "Implement a memory hog", "--agent",
                "java:" + AllocatingAgent.class.getName(), "--classpath", TestSettings.testClasses().toString());
        String taskId = Json.readObject(run.stdout().trim()).get("taskId").toString();
        Path dump = workDir.resolve(".mayfly/runs/" + taskId + "/heap.hprof");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.stdout()).contains("\"reason\":\"out_of_memory\"");
        assertThat(dump).exists();
        assertThat(Files.size(dump)).isGreaterThan(1024 * 1024);
        assertThat(MayflyProcess.run(workDir, Map.of(), "status", taskId).stdout()).contains("heap dump: " + dump);
        assertThat(MayflyProcess.run(workDir, Map.of(), "status", taskId, "--json").stdout())
                .contains("\"heapDump\" : \"" + dump + "\"");
    }
}
