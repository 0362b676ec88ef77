package dev.mayfly.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.config.SettingsReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A record's text, read from its parts, is what the record's own {@code toString} says. */
class RecordTextTest {

    private record Inner(int count, Duration every) {}

    private record Outer(String name, double share, Inner inner, List<String> words, Object none) {}

    @Test
    void it_reads_as_the_record_s_own() {
        Outer outer = new Outer("a b", 0.5, new Inner(3, Duration.ofSeconds(2)), List.of("x", "y"), null);

        assertThat(RecordText.of(outer)).isEqualTo(outer.toString())
                .isEqualTo("Outer[name=a b, share=0.5, inner=Inner[count=3, every=PT2S], words=[x, y], none=null]");
    }

    @Test
    void the_settings_show_every_part_as_a_record_would() {
        String settings = new SettingsReader(Map.of(), Path.of("/tmp")).read(SettingsReader.Flags.none()).toString();

        assertThat(settings).startsWith("Settings[useWorkers=false, home=/tmp/.mayfly, maxWorkers=4, heapMb=4096, ")
                .contains(", memory=MemorySettings[capMb=null, ", ", retry=RetrySettings[retries=0, delay=PT2S, ")
                .contains(", standby=StandbySettings[minWorkers=0, idle=PT1M]]");
    }
}
