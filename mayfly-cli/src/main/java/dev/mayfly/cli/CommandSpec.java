package dev.mayfly.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What one command accepts and says about itself: its options, its parameters, its subcommands and
 * where each value goes. Each command builds its own, in code, when it is the one being run.
 *
 * <p>Mayfly's own instead of picocli's: picocli builds its model by reflection over annotations, and
 * that model alone was 200–230 ms of a 480 ms {@code mayfly status}, more than the whole budget of a
 * short command (three bare JVM starts). Reading {@code status --limit 5} with this one takes 11–12 ms
 * in a new JVM, most of it linking its lambdas (docs/benchmarks.md, "The command line").
 */
final class CommandSpec {

    /**
     * The kinds of option: a switch, one with a value, one with a value that may be given again, a
     * switch with a {@code --no-} form, and the two every command has.
     */
    enum Kind { FLAG, VALUE, REPEATED, NEGATABLE, HELP, VERSION }

    /**
     * One option: {@code names} as typed ({@code -f}, {@code --follow}); {@code label} names its value
     * in the usage ({@code TEXT}), null for a switch. {@code receiver} gets the value, "true" or
     * "false" for a negatable switch, and nothing useful for a plain one.
     */
    record Option(List<String> names, String label, String description, Kind kind, Consumer<String> receiver) {

        /** The name the usage shows and errors use: the long one. */
        String longName() {
            return names.get(names.size() - 1);
        }

        /** {@code --no-workers} for {@code --workers}; null for an option that is not negatable. */
        String negatedName() {
            return kind == Kind.NEGATABLE ? "--no-" + longName().substring(2) : null;
        }

        boolean takesValue() {
            return kind == Kind.VALUE || kind == Kind.REPEATED;
        }
    }

    /** The words that are not options: between {@code min} and {@code max} of them. */
    record Parameters(String label, String description, int min, int max, Consumer<String> receiver) {}

    /** The line that reads the usage: {@code mayfly status}. */
    private final String name;
    private final Subcommand command;
    private final List<String> description = new ArrayList<>();
    private final List<Option> options = new ArrayList<>();
    private final List<String> subcommands = new ArrayList<>();
    private Function<String, Subcommand> subcommandFactory;
    private final List<String[]> exitCodes = new ArrayList<>();
    private Parameters parameters;

    /**
     * @param name the whole name as typed, {@code mayfly workflows check}
     * @param command what runs once the arguments are in; null when the command only lists its
     *     subcommands (the usage is shown)
     */
    CommandSpec(String name, Subcommand command, String... description) {
        this.name = name;
        this.command = command;
        this.description.addAll(List.of(description));
    }

    /** A switch: present or not. */
    CommandSpec flag(String description, Runnable receiver, String... names) {
        return add(new Option(List.of(names), null, description, Kind.FLAG, value -> receiver.run()));
    }

    /** {@code --name VALUE} or {@code --name=VALUE}, at most once. */
    CommandSpec value(String name, String label, String description, Consumer<String> receiver) {
        return add(new Option(List.of(name), label, description, Kind.VALUE, receiver));
    }

    /** {@code --name VALUE} or {@code --name=VALUE}, as often as wanted: the receiver gets each. */
    CommandSpec repeatable(String name, String label, String description, Consumer<String> receiver) {
        return add(new Option(List.of(name), label, description, Kind.REPEATED, receiver));
    }

    /** {@code --name} for true, {@code --no-name} for false; the receiver hears nothing when neither is given. */
    CommandSpec negatable(String name, String description, Consumer<Boolean> receiver) {
        return add(new Option(List.of(name), null, description, Kind.NEGATABLE,
                value -> receiver.accept(Boolean.parseBoolean(value))));
    }

    /** The words that are not options; {@code max} is {@link Integer#MAX_VALUE} for any number. */
    CommandSpec parameters(String label, String description, int min, int max, Consumer<String> receiver) {
        this.parameters = new Parameters(label, description, min, max, receiver);
        return this;
    }

    /**
     * Its subcommands, in the order the usage lists them: {@code factory} makes the one named when
     * it is named (or each, for the usage).
     */
    CommandSpec subcommands(Function<String, Subcommand> factory, String... names) {
        subcommandFactory = factory;
        subcommands.addAll(List.of(names));
        return this;
    }

    /** A line of the usage's "Exit status:" list. */
    CommandSpec exitCode(String code, String meaning) {
        exitCodes.add(new String[] {code, meaning});
        return this;
    }

    private CommandSpec add(Option option) {
        options.add(option);
        return this;
    }

    String name() {
        return name;
    }

    Subcommand command() {
        return command;
    }

    List<String> description() {
        return description;
    }

    /** Its options, in the order given, then {@code --help} and {@code --version}, which every command has. */
    List<Option> options() {
        List<Option> all = new ArrayList<>(options);
        all.add(new Option(List.of("-h", "--help"), null, "Show this help message and exit.", Kind.HELP, value -> {}));
        all.add(new Option(List.of("-V", "--version"), null, "Print version information and exit.", Kind.VERSION,
                value -> {}));
        return all;
    }

    Optional<Parameters> parameters() {
        return Optional.ofNullable(parameters);
    }

    List<String> subcommands() {
        return subcommands;
    }

    /** The subcommand called {@code name}, made now; empty when it has none of that name. */
    Optional<Subcommand> subcommand(String name) {
        return subcommands.contains(name) ? Optional.of(subcommandFactory.apply(name)) : Optional.empty();
    }

    List<String[]> exitCodes() {
        return exitCodes;
    }
}
