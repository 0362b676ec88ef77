package dev.mayfly.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchSupportTest {

    @Test
    void an_option_given_twice_takes_the_last_value_so_that_what_a_user_types_beats_the_script_s_default() {
        // scripts/bench soak --launcher /tmp/before/mayfly runs the benchmark with its own --launcher first.
        String[] args = {"--launcher", "/work/main/mayfly", "--tasks", "600", "--launcher", "/tmp/before/mayfly"};

        assertThat(BenchSupport.stringArg(args, "--launcher", "mayfly")).isEqualTo("/tmp/before/mayfly");
        assertThat(BenchSupport.intArg(args, "--tasks", 1000)).isEqualTo(600);
        assertThat(BenchSupport.intArg(args, "--every", 7)).isEqualTo(7);
    }

    @Test
    void a_name_as_the_last_word_has_no_value_and_leaves_the_default() {
        assertThat(BenchSupport.stringArg(new String[] {"--tasks", "5", "--launcher"}, "--launcher", "mayfly"))
                .isEqualTo("mayfly");
    }
}
