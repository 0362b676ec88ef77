package dev.mayfly.worker;

import dev.mayfly.agent.AgentInvocation;
import dev.mayfly.agent.AgentLoadException;
import dev.mayfly.agent.AgentSpec;
import dev.mayfly.agent.Agents;
import dev.mayfly.agent.RunningTask;
import dev.mayfly.json.Json;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Loads and initialises what a task will need before it arrives, so that its first use is not a
 * cold one.
 *
 * <p>A worker started for its task warms up {@link #light lightly}, on a second thread, while its
 * main thread connects: the supervisor is idle meanwhile, so the second core is free. A worker
 * started ahead of its task (a ready worker) warms up {@link #full fully} before it connects, since
 * then nobody waits for it: the way from its task's arrival to the agent, which was about 35 ms of
 * first-time class loading and initialisation in such a worker, is walked once with a made-up task
 * (docs/benchmarks.md, "Ready workers").
 */
final class WorkerWarmUp {

    private WorkerWarmUp() {}

    /** The JSON parser and the agent runtime's classes, on a thread of its own. */
    static void light() {
        Thread warmUp = new Thread(WorkerWarmUp::classes, "mayfly-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    private static void classes() {
        try {
            Json.read("{\"warm\":[1,0.5,true,null,\"x\"]}");
            for (Class<?> type : new Class<?>[] {AgentInvocation.class, AgentSpec.class, RunningTask.class,
                    MemoryReporter.class}) {
                Class.forName(type.getName(), true, WorkerWarmUp.class.getClassLoader());
            }
        } catch (IOException | ClassNotFoundException e) {
            // Only a head start: the main thread loads whatever is still missing.
        }
    }

    /**
     * The whole way of a task, once, without running anything: its message read off the wire, the
     * memory beans, a loader for an agent's jars with its services, a result written back.
     */
    static void full() {
        classes();
        try {
            ChannelMessage.Task sample = new ChannelMessage.Task("warm-up", "prompt", Map.of("k", "v"),
                    AgentSpec.java(WorkerWarmUp.class.getName(), List.of(ownLocation())), Path.of("."), Path.of("."),
                    1000, 80, 70, null, false, Map.of("MAYFLY_TASK_ID", "warm-up"));
            ChannelMessage.read(Json.readObject(Json.write(sample.fields())));
            new MemoryMonitor().recordNow();
            MemoryMonitor.heapInUsePercent();
            ClassLoader loader = Agents.loader(List.of(ownLocation()));
            loader.getResource("META-INF/MANIFEST.MF");
            Agents.providers(loader);
            // A class defined from a jar by a loader of its own, as an agent's class will be (5 ms the first time).
            try (URLClassLoader defining = new URLClassLoader(new URL[] {ownLocation().toUri().toURL()},
                    ClassLoader.getPlatformClassLoader())) {
                Class.forName(WorkerWarmUp.class.getName(), false, defining).getDeclaredConstructors();
            }
            Json.write(Map.of("result", List.of(1L, 0.5, "x")));
        } catch (IOException | AgentLoadException | ClassNotFoundException | RuntimeException e) {
            // Only a head start: the task's own way loads whatever is still missing.
        }
    }

    private static Path ownLocation() {
        try {
            return Path.of(WorkerWarmUp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
