package dev.mayfly.support;

import dev.mayfly.agent.AgentSpec;
import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.process.ProcFs;
import dev.mayfly.process.TaskMark;
import dev.mayfly.task.TaskLimits;
import dev.mayfly.task.TaskRequest;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Settings and requests for tests: a temporary home, fast memory reports, short grace. */
public final class TestSettings {

    private TestSettings() {}

    /** Workers on, reports every 100 ms, 1 s grace; {@code overrides} are more environment variables. */
    public static Settings workersOn(Path home, String... overrides) {
        Map<String, String> environment = new HashMap<>();
        environment.put("USE_WORKERS", "true");
        environment.put("MAYFLY_HOME", home.toString());
        environment.put("MAYFLY_MEMORY_REPORT_INTERVAL", "100ms");
        environment.put("MAYFLY_GRACE_PERIOD", "1s");
        environment.put("MAYFLY_HEAP_MB", "128");
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            environment.put(overrides[i], overrides[i + 1]);
        }
        return new SettingsReader(environment, home).read(SettingsReader.Flags.none());
    }

    /** Where the test agents' classes are, for --classpath. */
    public static Path testClasses() {
        try {
            return Path.of(TestSettings.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static AgentSpec javaAgent(Class<?> type) {
        return AgentSpec.java(type.getName(), List.of(testClasses()));
    }

    /** A long-running request with the settings' limits (heap, tree cap, retries) and this timeout. */
    public static TaskRequest longTask(Settings settings, AgentSpec agent, Path workDir, Duration timeout) {
        return TaskRequest.builder("Implement the test task", agent).complexity(0.8).workDir(workDir)
                .limits(TaskLimits.of(settings, new TaskLimits.Overrides(null, null, timeout, null, null))).build();
    }

    /** Whether a process runs (a zombie waiting for init to reap it has ended: it holds nothing and does nothing). */
    public static boolean alive(long pid) {
        return ProcFs.system().alive(pid);
    }

    /** The processes that still carry a task's mark (none, once the task has ended). */
    public static List<Long> marked(String taskId) {
        return ProcFs.system().processesWith(new TaskMark(taskId).entry());
    }

    /** A long-running request (routes to a worker when workers are on). */
    public static TaskRequest longTask(AgentSpec agent, Path workDir, Map<String, String> params, Duration timeout) {
        return TaskRequest.builder("Implement the test task", agent).params(params).complexity(0.8).workDir(workDir)
                .limits(TaskLimits.of(128, timeout)).build();
    }
}
