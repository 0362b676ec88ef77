package dev.mayfly.agent;

import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in {@code probe} agent: answers with where it ran, with which JVM options, and how much
 * direct buffer memory that JVM holds. {@code mayfly validate} uses it for its worker round trip and
 * its memory cap check, and it is handy for checking a set-up by hand ({@code mayfly run --workers
 * --agent probe --prompt "Implement a check"}). With {@code --param holdMb=N} it first holds N MB of
 * heap, touched, until it is stopped or a minute has passed.
 */
public final class ProbeAgent implements Agent {

    public static final String NAME = "probe";
    static final long HOLD_MILLIS = 60_000;

    @Override
    public Object run(TaskContext context) throws InterruptedException {
        int holdMb = Integer.parseInt(context.params().getOrDefault("holdMb", "0"));
        if (holdMb > 0) {
            hold(holdMb, context);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("prompt", context.prompt());
        answer.put("pid", ProcessHandle.current().pid());
        answer.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        answer.put("javaVersion", Runtime.version().toString());
        answer.put("workDir", context.workDir().toString());
        answer.put("jvmOptions", ManagementFactory.getRuntimeMXBean().getInputArguments());
        answer.put("directBufferBytes", directBufferBytes());
        return answer;
    }

    /**
     * The JVM's direct buffers, in bytes: those of its programs and the temporary ones the JDK reads and
     * writes files and sockets through, which it keeps for each thread.
     */
    private static long directBufferBytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct"))
                .mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
    }

    /** Holds {@code megabytes} of touched heap until cancelled or a minute is over. */
    private static void hold(int megabytes, TaskContext context) throws InterruptedException {
        byte[][] held = new byte[megabytes][];
        for (int i = 0; i < megabytes; i++) {
            held[i] = new byte[1024 * 1024];
            Arrays.fill(held[i], (byte) 1);
        }
        long deadline = System.nanoTime() + HOLD_MILLIS * 1_000_000;
        while (!context.cancelled() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (held.length != megabytes) {
            throw new IllegalStateException("unreachable; keeps the held memory alive");
        }
    }
}
