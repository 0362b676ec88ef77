package dev.mayfly.cli;

import dev.mayfly.client.Mayfly;
import dev.mayfly.config.SettingsReader;
import dev.mayfly.server.EmbeddedMayfly;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The supervisor embedded in this JVM (its workers are still JVMs of their own). */
class EmbeddedMayflyTest extends MayflyContract {

    private EmbeddedMayfly mayfly;

    @BeforeEach
    void start() {
        mayfly = EmbeddedMayfly.start(new SettingsReader(SETTINGS, workDir).read(SettingsReader.Flags.none()));
    }

    @AfterEach
    void stop() {
        mayfly.close();
    }

    @Override
    Mayfly mayfly() {
        return mayfly;
    }
}
