package dev.mayfly.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolledFileTest {

    @TempDir
    Path folder;

    /** Each event's message and a newline. */
    private static final class Lines extends EncoderBase<ILoggingEvent> {
        @Override
        public byte[] headerBytes() {
            return null;
        }

        @Override
        public byte[] encode(ILoggingEvent event) {
            return (event.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] footerBytes() {
            return null;
        }
    }

    private static ILoggingEvent line(LoggerContext context, String message) {
        return new LoggingEvent(RolledFileTest.class.getName(), context.getLogger("test"), Level.INFO, message, null, null);
    }

    @Test
    void a_full_file_rolls_over_before_the_next_line_and_only_the_kept_ones_stay() throws Exception {
        Path file = folder.resolve("orchestrator.log");
        LoggerContext context = new LoggerContext();
        RolledFile rolled = new RolledFile(file, 20, 2, new Lines());
        rolled.setContext(context);
        rolled.start();
        // Ten bytes a line: every two lines fill the file, and the third begins a new one.
        for (int i = 1; i <= 7; i++) {
            rolled.doAppend(line(context, "line " + i + "..."));
        }
        rolled.stop();

        assertThat(Files.readAllLines(file)).containsExactly("line 7...");
        assertThat(Files.readAllLines(folder.resolve("orchestrator.log.1"))).containsExactly("line 5...", "line 6...");
        assertThat(Files.readAllLines(folder.resolve("orchestrator.log.2"))).containsExactly("line 3...", "line 4...");
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(path -> path.getFileName().toString()).sorted())
                    .as("lines 1 and 2 went with the oldest file").containsExactly("orchestrator.log", "orchestrator.log.1",
                            "orchestrator.log.2");
        }
    }

    @Test
    void lines_are_appended_to_what_the_file_already_holds_and_its_size_counts() throws Exception {
        Path file = Files.writeString(folder.resolve("orchestrator.log"), "from another process\n");
        LoggerContext context = new LoggerContext();
        RolledFile rolled = new RolledFile(file, 30, 5, new Lines());
        rolled.setContext(context);
        rolled.start();
        rolled.doAppend(line(context, "mine......"));
        rolled.doAppend(line(context, "next......"));
        rolled.stop();

        assertThat(Files.readAllLines(folder.resolve("orchestrator.log.1"))).isEqualTo(List.of("from another process",
                "mine......"));
        assertThat(Files.readAllLines(file)).containsExactly("next......");
    }
}
