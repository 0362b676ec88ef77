package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Mayfly's own command line: the forms an option may take, what a mistake says (one line, the command's
 * usage named, exit 2), and the usage text of every command.
 */
class ArgumentParserTest {

    private static final String[] ALL = {"run", "batch", "status", "logs", "cancel", "resume", "serve", "top",
        "workflows", "validate"};

    /** A command that keeps what it was given. */
    private static final class Recorder implements Subcommand {
        String text;
        final List<String> repeated = new ArrayList<>();
        Boolean switched;
        boolean flag;
        final List<String> words = new ArrayList<>();

        @Override
        public CommandSpec spec() {
            return new CommandSpec("mayfly try", this, "Tries things.")
                    .value("--text", "TEXT", "Some text.", value -> text = value)
                    .repeatable("--param", "KEY=VALUE", "Repeatable.", repeated::add)
                    .negatable("--workers", "On or off.", value -> switched = value)
                    .flag("A switch.", () -> flag = true, "-f", "--flag")
                    .parameters("WORD", "Words.", 1, 2, words::add);
        }

        @Override
        public Integer call() {
            return 0;
        }
    }

    private static Recorder parse(String... args) {
        Recorder recorder = new Recorder();
        ArgumentParser.Invocation invocation = ArgumentParser.parse(recorder.spec(), args);
        assertThat(invocation.request()).isEqualTo(ArgumentParser.Request.RUN);
        return recorder;
    }

    private static String error(String... args) {
        try {
            parse(args);
        } catch (ArgumentParser.ArgumentError e) {
            assertThat(e.command()).isEqualTo("mayfly try");
            return e.getMessage();
        }
        throw new AssertionError("no error for " + List.of(args));
    }

    @Test
    void options_take_their_values_either_way_and_in_any_order_with_the_words() {
        Recorder given = parse("one", "--text", "a b", "--param=k=v", "--param", "x=--y", "-f", "--no-workers", "two");

        assertThat(given.text).isEqualTo("a b");
        assertThat(given.repeated).containsExactly("k=v", "x=--y");
        assertThat(given.switched).isFalse();
        assertThat(given.flag).isTrue();
        assertThat(given.words).containsExactly("one", "two");
        assertThat(parse("w", "--workers").switched).isTrue();
        assertThat(parse("w").switched).as("neither given").isNull();
    }

    @Test
    void a_value_may_look_like_an_option_that_does_not_exist_and_after_double_dash_everything_is_a_word() {
        assertThat(parse("w", "--text", "-").text).isEqualTo("-");
        assertThat(parse("w", "--text", "-1").text).isEqualTo("-1");
        assertThat(parse("w", "--text=--flag").text).isEqualTo("--flag");
        assertThat(parse("--", "--flag", "-").words).containsExactly("--flag", "-");
        assertThat(parse("-").words).containsExactly("-");
    }

    @Test
    void each_mistake_is_one_line_that_names_it() {
        assertThat(error("w", "--txt", "a")).isEqualTo("Unknown option: '--txt'; did you mean '--text'?");
        assertThat(error("w", "--no-worker")).isEqualTo("Unknown option: '--no-worker'; did you mean '--no-workers'?");
        assertThat(error("w", "--frobnicate")).isEqualTo("Unknown option: '--frobnicate'");
        assertThat(error("w", "-x")).isEqualTo("Unknown option: '-x'");
        assertThat(error("w", "--text")).isEqualTo("Missing value for option '--text' (TEXT)");
        assertThat(error("w", "--text", "--flag")).isEqualTo("Missing value for option '--text' (TEXT)");
        assertThat(error("w", "--flag=yes")).isEqualTo("Option '--flag' takes no value, and was given 'yes'");
        assertThat(error("w", "--text", "a", "--text=b")).isEqualTo("Option '--text' was given more than once; give it once");
        assertThat(error("w", "--workers", "--no-workers"))
                .isEqualTo("Option '--workers' was given more than once; give it once");
        assertThat(error("w", "-f", "--flag")).isEqualTo("Option '--flag' was given more than once; give it once");
        assertThat(error("--text", "a")).isEqualTo("Missing required parameter: 'WORD'");
        assertThat(error("a", "b", "c")).isEqualTo("Unexpected argument 'c': mayfly try takes at most 2 WORD");
    }

    @Test
    void an_unknown_option_is_named_before_a_missing_parameter() {
        assertThat(error("--txt", "a")).startsWith("Unknown option: '--txt'");
    }

    @Test
    void help_and_version_are_asked_for_whatever_else_is_missing() {
        Recorder recorder = new Recorder();
        assertThat(ArgumentParser.parse(recorder.spec(), "--text", "a", "--help").request())
                .isEqualTo(ArgumentParser.Request.HELP);
        assertThat(ArgumentParser.parse(recorder.spec(), "-V").request()).isEqualTo(ArgumentParser.Request.VERSION);
    }

    @Test
    void without_a_subcommand_the_usage_lists_every_one() {
        Ran ran = run();

        assertThat(ran.exitCode).isZero();
        assertThat(ran.out).startsWith("Usage: mayfly [-hV] [COMMAND]\n");
        for (String name : ALL) {
            assertThat(ran.out).containsPattern("(?m)^  " + name + " +[A-Z]");
        }
        assertThat(ran.out).contains("Exit status:\n  0     completed (run)");
    }

    @Test
    void a_mistyped_subcommand_is_bad_input_with_the_closest_named() {
        Ran ran = run("stauts");

        assertThat(ran.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(ran.err).isEqualTo("mayfly: Unknown command: 'stauts'; did you mean 'status'?\n"
                + "Run 'mayfly --help' for the options.\n");
        assertThat(ran.out).isEmpty();
        assertThat(run("workflows", "chek").err).startsWith("mayfly: Unknown command: 'chek'; did you mean 'check'?\n"
                + "Run 'mayfly workflows --help'");
    }

    @Test
    void a_subcommand_s_help_is_its_own_and_every_usage_fits_80_columns() {
        for (String name : ALL) {
            Ran ran = run(name, "--help");

            assertThat(ran.exitCode).isZero();
            assertThat(ran.out).startsWith("Usage: mayfly " + name + " ").contains("  -h, --help ");
            assertThat(ran.out.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
        }
        assertThat(run("status", "--help").out).startsWith("Usage: mayfly status [OPTIONS] [TASK_ID]\n")
                .containsPattern("(?m)^      --limit=N +At most N tasks \\(default 20\\)\\.$");
        assertThat(run("run", "--help").out).contains("      --[no-]workers         Turn workers on");
        assertThat(run("logs", "-h").out).contains("  -f, --follow ");
        assertThat(run("workflows", "check", "--help").out).startsWith("Usage: mayfly workflows check [OPTIONS] FILE\n");
    }

    @Test
    void the_version_is_one_line() {
        Ran ran = run("status", "--version");

        assertThat(ran.exitCode).isZero();
        assertThat(ran.out).matches("mayfly \\S+\n");
    }

    private static Ran run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = Main.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Ran(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Ran(int exitCode, String out, String err) {}
}
