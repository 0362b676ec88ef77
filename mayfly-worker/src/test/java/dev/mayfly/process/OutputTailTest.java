package dev.mayfly.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.api.OutputTail;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTailTest {

    private static OutputTail tailOf(String output, int capacity) {
        OutputTail tail = new OutputTail(capacity);
        byte[] bytes = output.getBytes(StandardCharsets.UTF_8);
        tail.write(bytes, 0, bytes.length);
        return tail;
    }

    @Test
    void a_long_last_line_keeps_the_whole_tail_with_a_marker_of_what_was_cut() {
        String output = "START\n" + "x".repeat(20_000) + "\nEND\n";

        String text = tailOf(output, 8192).text();

        assertThat(text).startsWith("[… " + (output.length() - 8192) + " earlier bytes cut …]\n");
        assertThat(text).endsWith("x\nEND\n");
        assertThat(text.length()).isGreaterThan(8192);
    }

    @Test
    void a_cut_never_splits_a_character_and_a_short_output_is_whole() {
        String output = "é".repeat(5000);   // two bytes each: 10,000 bytes

        String text = tailOf(output, 8191).text();

        assertThat(text).startsWith("[… 1810 earlier bytes cut …]\n");
        assertThat(text.substring(text.indexOf('\n') + 1)).isEqualTo("é".repeat(4095));
        assertThat(tailOf("hello\n", 8192).text()).isEqualTo("hello\n");
    }
}
