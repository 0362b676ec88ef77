package dev.mayfly.agent;

import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in {@code probe} agent: answers with where it ran and with which JVM options.
 * {@code mayfly validate} uses it for its worker round trip, and it is handy for checking a set-up
 * by hand ({@code mayfly run --workers --agent probe --prompt "Implement a check"}).
 */
public final class ProbeAgent implements Agent {

    public static final String NAME = "probe";

    @Override
    public Object run(TaskContext context) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("prompt", context.prompt());
        answer.put("pid", ProcessHandle.current().pid());
        answer.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        answer.put("javaVersion", Runtime.version().toString());
        answer.put("workDir", context.workDir().toString());
        answer.put("jvmOptions", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        return answer;
    }
}
