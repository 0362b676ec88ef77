package dev.mayfly.cli;

import static org.awaitility.Awaitility.await;

import dev.mayfly.client.Mayfly;
import dev.mayfly.client.MayflyClient;
import dev.mayfly.client.ServerFile;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The Java client against a real server process ({@code mayfly serve}). */
class MayflyClientTest extends MayflyContract {

    private MayflyProcess server;
    private MayflyClient client;

    @BeforeEach
    void start() throws Exception {
        server = MayflyProcess.start(workDir, SETTINGS, "serve", "--port", "0");
        long pid = server.process().pid();
        await().atMost(Duration.ofSeconds(60)).until(() -> ServerFile.read(workDir.resolve(".mayfly"))
                .filter(file -> file.pid() == pid).isPresent());
        client = MayflyClient.forHome(workDir.resolve(".mayfly"));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
    }

    @Override
    Mayfly mayfly() {
        return client;
    }
}
