package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line builds the model of the subcommand it runs, not of all of them (picocli's
 * reflection over every command was a quarter of a short command's time); what a person sees is the
 * same as with every model built.
 */
class CommandModelTest {

    private static final String[] ALL = {"run", "batch", "status", "logs", "cancel", "resume", "serve", "top",
        "workflows", "validate"};

    @Test
    void a_named_subcommand_is_the_only_one_built() {
        assertThat(Main.commandLine("status", "--limit", "5").getSubcommands()).containsOnlyKeys("status");
        assertThat(Main.commandLine("workflows", "check", "flow.yaml").getSubcommands().get("workflows")
                .getSubcommands()).isNotEmpty();
    }

    @Test
    void without_a_subcommand_the_usage_lists_every_one() {
        Ran ran = run();

        assertThat(ran.exitCode).isZero();
        assertThat(Main.commandLine().getSubcommands()).containsOnlyKeys(ALL);
        for (String name : ALL) {
            assertThat(ran.out).containsPattern("(?m)^  " + name + " ");
        }
    }

    @Test
    void a_mistyped_subcommand_is_bad_input_with_the_commands_usage() {
        Ran ran = run("stauts");

        assertThat(ran.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(ran.err).contains("mayfly: Unmatched argument at index 0: 'stauts'")
                .contains("Run 'mayfly --help' for the options.");
    }

    @Test
    void a_subcommand_s_help_is_its_own() {
        Ran ran = run("status", "--help");

        assertThat(ran.exitCode).isZero();
        assertThat(ran.out).startsWith("Usage: mayfly status").contains("--limit");
    }

    private static Ran run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(args);
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Ran(exitCode, out.toString(), err.toString());
    }

    private record Ran(int exitCode, String out, String err) {}
}
