package dev.mayfly.support;

import dev.mayfly.config.Settings;
import dev.mayfly.log.LogFormat;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.memory.HostMemory;
import dev.mayfly.orchestrator.Orchestrator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** An orchestrator on a temporary home whose console output a test can read. */
public final class OrchestratorFixture implements AutoCloseable {

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final Orchestrator orchestrator;
    private final OrchestratorLog log;

    public OrchestratorFixture(Settings settings) throws IOException {
        this(settings, null);
    }

    /** @param host the host's memory as the test sets it, or null for this machine's */
    public OrchestratorFixture(Settings settings, HostMemory host) throws IOException {
        this(settings, host, Clock.systemUTC());
    }

    /** @param clock the orchestrator's, which a test may move on */
    public OrchestratorFixture(Settings settings, HostMemory host, Clock clock) throws IOException {
        log = new OrchestratorLog(settings.logFile(), new PrintStream(console, true, StandardCharsets.UTF_8),
                LogFormat.TEXT, clock);
        orchestrator = host == null ? Orchestrator.start(settings, log, clock)
                : Orchestrator.start(settings, log, clock, host);
    }

    public Orchestrator orchestrator() {
        return orchestrator;
    }

    public OrchestratorLog log() {
        return log;
    }

    public String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        orchestrator.close();
    }
}
