package dev.mayfly.cli;

import dev.mayfly.client.ServerFile;
import dev.mayfly.config.Settings;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.config.WholeNumber;
import dev.mayfly.errors.UsageException;
import dev.mayfly.log.OrchestratorLog;
import dev.mayfly.orchestrator.Orchestrator;
import dev.mayfly.server.MayflyServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mayfly serve}: one long-lived supervisor for a {@code MAYFLY_HOME}, behind the HTTP API
 * (docs/server.md). It runs until Ctrl-C or SIGTERM, which stop its tasks as a {@code mayfly run}'s
 * are stopped (they end interrupted).
 */
final class ServeCommand implements Subcommand {

    /** The default port: free of the common ones (Jupyter 8888, Flower 5555, Ray 8265, Temporal 8233). */
    static final int DEFAULT_PORT = 8642;
    static final String DEFAULT_BIND = "127.0.0.1";

    String bind = DEFAULT_BIND;
    String port = String.valueOf(DEFAULT_PORT);
    final CommonOptions common = new CommonOptions();

    @Override
    public CommandSpec spec() {
        return common.addTo(new CommandSpec("mayfly serve", this,
                "Runs one supervisor for this MAYFLY_HOME behind an HTTP API: tasks are submitted, listed, followed and "
                        + "cancelled over HTTP, and share one pool of workers. Writes $MAYFLY_HOME/server.json (url, pid "
                        + "and the token every request but /healthz needs; readable by you only). Runs until Ctrl-C or "
                        + "SIGTERM.")
                .value("--bind", "ADDR", "The address to listen on (default: " + DEFAULT_BIND + ", this machine only).",
                        value -> bind = value)
                .value("--port", "N", "The port to listen on, 0 for any free one (default: " + DEFAULT_PORT + ").",
                        value -> port = value)
                .exitCode("0", "stopped")
                .exitCode("1", "it could not start")
                .exitCode("2", "bad input, or another server serves this home")
                .exitCode("130", "stopped by Ctrl-C; 143 by SIGTERM"));
    }

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = common.settings(SettingsReader.Flags.none());
        InetSocketAddress address = new InetSocketAddress(address(), port());
        refuseIfServed(settings);
        OrchestratorLog log = common.log(settings, System.err);
        Orchestrator orchestrator = Orchestrator.start(settings, log, common.clock());
        MayflyServer server;
        try {
            server = MayflyServer.start(orchestrator, address, MayflyServer.newToken(), log, common.clock());
        } catch (RuntimeException e) {
            orchestrator.close();
            throw e;
        }
        ServerFile file = new ServerFile(server.url().toString(), ProcessHandle.current().pid(), server.token());
        Optional<ServerFile> other = file.claim(settings.home());
        if (other.isPresent()) {
            server.close();
            orchestrator.close();
            throw servedBy(settings, other.get());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info(OrchestratorLog.ENTRY, "Server stopping: its running tasks are stopped");
            server.close();
            orchestrator.close();
            file.removeIfOurs(settings.home());
            stopped.countDown();
        }, "mayfly-cleanup"));
        System.out.println("Mayfly serves " + settings.home() + " at " + server.url() + " (pid "
                + ProcessHandle.current().pid() + ")");
        System.out.println("Dashboard: " + server.oneTimeLogin() + " (a one-time login link)");
        System.out.println("The API token is in " + ServerFile.path(settings.home()) + "; Ctrl-C stops the server.");
        System.out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    private void refuseIfServed(Settings settings) {
        ServerFile.read(settings.home()).filter(ServerFile::alive).ifPresent(other -> {
            throw servedBy(settings, other);
        });
    }

    private static UsageException servedBy(Settings settings, ServerFile other) {
        return new UsageException("a server already serves " + settings.home() + ": pid " + other.pid() + " at "
                + other.url() + "; stop it first, or give this one another MAYFLY_HOME");
    }

    private InetAddress address() {
        try {
            return InetAddress.getByName(bind.trim());
        } catch (UnknownHostException e) {
            throw UsageException.invalid("--bind", bind, "an address of this machine, such as 127.0.0.1 or 0.0.0.0");
        }
    }

    private int port() {
        return WholeNumber.parse("--port", port, 0, 65535, "a port number from 0 to 65535 (0: any free one)");
    }
}
