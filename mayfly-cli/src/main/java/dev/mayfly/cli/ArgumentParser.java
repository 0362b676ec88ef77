package dev.mayfly.cli;

import dev.mayfly.errors.UsageException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a command line against the top command's spec: each option's value goes to its receiver, the
 * first word naming a subcommand moves on to that subcommand's spec, and the other words are the
 * command's parameters. Options and parameters may come in any order; after {@code --} every word is
 * a parameter. The first mistake ends the reading, so an unknown option is named before a missing one.
 */
final class ArgumentParser {

    /** What the command line asks for. */
    enum Request { RUN, HELP, VERSION }

    /** The command the line named (the top one, a subcommand, or one of its own) and what to do with it. */
    record Invocation(CommandSpec spec, Request request) {}

    /** A mistake in the command line itself; the usage of {@code command} (its name) shows what it accepts. */
    static final class ArgumentError extends UsageException {

        private final String command;

        ArgumentError(String command, String message) {
            super(message);
            this.command = command;
        }

        String command() {
            return command;
        }
    }

    private CommandSpec spec;
    private List<CommandSpec.Option> options;
    private int parametersGiven;
    /**
     * The options given so far: every one but a repeatable one at most once, as picocli had it. Kept by
     * identity: a record's own hashCode is made at its first call in a JVM, from method handles, which
     * cost a short {@code mayfly run} 20-25 ms (docs/benchmarks.md, "The command line").
     */
    private final Set<CommandSpec.Option> given = Collections.newSetFromMap(new IdentityHashMap<>());

    private ArgumentParser(CommandSpec top) {
        enter(top);
    }

    static Invocation parse(CommandSpec top, String... args) {
        return new ArgumentParser(top).read(args);
    }

    private void enter(CommandSpec next) {
        spec = next;
        options = next.options();
        parametersGiven = 0;
        given.clear();
    }

    private Invocation read(String[] args) {
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!optionsEnded && arg.equals("--")) {
                optionsEnded = true;
            } else if (!optionsEnded && isOptionLike(arg)) {
                String name = nameOf(arg);
                int equals = name.length() < arg.length() ? name.length() : -1;
                CommandSpec.Option option = option(name);
                if (option == null) {
                    throw error("Unknown option: '" + name + "'" + Suggestion.of(name, names()));
                }
                if (option.kind() == CommandSpec.Kind.HELP || option.kind() == CommandSpec.Kind.VERSION) {
                    return new Invocation(spec, option.kind() == CommandSpec.Kind.HELP ? Request.HELP : Request.VERSION);
                }
                if (!given.add(option) && option.kind() != CommandSpec.Kind.REPEATED) {
                    throw error("Option '" + option.longName() + "' was given more than once; give it once");
                }
                if (option.takesValue()) {
                    if (equals < 0 && (i + 1 == args.length || option(nameOf(args[i + 1])) != null)) {
                        throw error("Missing value for option '" + name + "' (" + option.label() + ")");
                    }
                    option.receiver().accept(equals < 0 ? args[++i] : arg.substring(equals + 1));
                } else if (equals >= 0) {
                    throw error("Option '" + name + "' takes no value, and was given '" + arg.substring(equals + 1) + "'");
                } else {
                    option.receiver().accept(String.valueOf(option.names().contains(name))); // false for --no-
                }
            } else {
                parameter(arg, optionsEnded);
            }
        }
        CommandSpec.Parameters parameters = spec.parameters().orElse(null);
        if (parameters != null && parametersGiven < parameters.min()) {
            throw error("Missing required parameter: '" + parameters.label() + "'");
        }
        return new Invocation(spec, spec.command() == null ? Request.HELP : Request.RUN);
    }

    /** A lone {@code -} is a word (standard input, for {@code --prompt -}), not an option. */
    private static boolean isOptionLike(String arg) {
        return arg.startsWith("-") && arg.length() > 1;
    }

    /** An option's name without the value written into it: {@code --param} of {@code --param=k=v}. */
    private static String nameOf(String arg) {
        int equals = arg.startsWith("--") ? arg.indexOf('=') : -1;
        return equals < 0 ? arg : arg.substring(0, equals);
    }

    private void parameter(String word, boolean optionsEnded) {
        Optional<Subcommand> subcommand = optionsEnded || parametersGiven > 0 ? Optional.empty() : spec.subcommand(word);
        if (subcommand.isPresent()) {
            enter(subcommand.get().spec());
            return;
        }
        CommandSpec.Parameters parameters = spec.parameters().orElse(null);
        if (parameters == null && !spec.subcommands().isEmpty()) {
            throw error("Unknown command: '" + word + "'" + Suggestion.of(word, spec.subcommands()));
        }
        if (parameters == null || parametersGiven == parameters.max()) {
            throw error("Unexpected argument '" + word + "': " + spec.name() + " takes "
                    + (parameters == null ? "no arguments but its options" : "at most " + parameters.max() + " "
                            + parameters.label()));
        }
        parametersGiven++;
        parameters.receiver().accept(word);
    }

    /** The option {@code name} names here, with {@code --no-} for a negatable one; null when none does. */
    private CommandSpec.Option option(String name) {
        for (CommandSpec.Option option : options) {
            if (option.names().contains(name) || name.equals(option.negatedName())) {
                return option;
            }
        }
        return null;
    }

    private List<String> names() {
        List<String> names = new ArrayList<>();
        for (CommandSpec.Option option : options) {
            names.addAll(option.names());
            if (option.negatedName() != null) {
                names.add(option.negatedName());
            }
        }
        return names;
    }

    private ArgumentError error(String message) {
        return new ArgumentError(spec.name(), message);
    }
}
