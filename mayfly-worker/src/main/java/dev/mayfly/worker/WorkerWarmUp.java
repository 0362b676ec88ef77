package dev.mayfly.worker;

import dev.mayfly.agent.AgentInvocation;
import dev.mayfly.agent.AgentLoadException;
import dev.mayfly.agent.AgentOutcome;
import dev.mayfly.agent.AgentSpec;
import dev.mayfly.agent.Agents;
import dev.mayfly.agent.RunningTask;
import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;
import dev.mayfly.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Clock;
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
     * The whole way of a task, once, with a made-up task whose agent does nothing: its message read
     * off the wire, its start made (but not started), its agent created by reflection and run, its
     * result written; and a loader for an agent's jars, with its services and a class defined.
     *
     * @throws IOException etc. when a step fails: the worker says so, and its task's way is then a cold one
     */
    static void full() throws IOException, AgentLoadException, ClassNotFoundException {
        classes();
        ChannelMessage.Task sample = new ChannelMessage.Task("warm-up", "prompt", Map.of("k", "v"),
                AgentSpec.java(Nothing.class.getName(), List.of(ownLocation())), Path.of("."), Path.of("."),
                1000, 80, 70, null, false, Map.of("MAYFLY_TASK_ID", "warm-up"));
        ChannelMessage.Task read = (ChannelMessage.Task) Channel.read(Channel.written(sample));
        WorkerMain.TaskStart start = new WorkerMain(null).prepare(read);
        AgentOutcome outcome = AgentInvocation.run(read.agent(), start.running(), OutputStream.nullOutputStream(),
                Clock.systemUTC());
        if (!outcome.ok()) {
            throw new IllegalStateException("the made-up task's agent failed: " + outcome.error());
        }
        MemoryMonitor monitor = start.reporter().monitor();
        monitor.recordNow();
        MemoryMonitor.heapInUsePercent();
        Channel.written(new ChannelMessage.Result(outcome, monitor.heapPeakMb(), monitor.rssPeakMb()));
        ClassLoader loader = Agents.loader(List.of(ownLocation()));
        loader.getResource("META-INF/MANIFEST.MF");
        Agents.providers(loader);
        // A class defined from a jar by a loader of its own, as an agent's class will be (5 ms the first time).
        try (URLClassLoader defining = new URLClassLoader(new URL[] {ownLocation().toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class.forName(WorkerWarmUp.class.getName(), false, defining).getDeclaredConstructors();
        }
    }

    /** The made-up task's agent: created through the same reflection as a task's, and run. */
    public static final class Nothing implements Agent {
        @Override
        public Object run(TaskContext context) {
            return Map.of("warm", List.of(1L, 0.5, "x"));
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
