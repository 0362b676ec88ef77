package dev.mayfly.cli;

import java.util.List;

/** A command's {@code --help}: its synopsis, description, parameters and options, subcommands and exit statuses, in 80 columns. */
final class UsageText {

    static final int WIDTH = 80;
    /** Where an option's description starts; a longer name puts it on the next line. */
    private static final int DESCRIPTION_COLUMN = 29;

    private UsageText() {}

    static String of(CommandSpec spec) {
        StringBuilder text = new StringBuilder();
        wrap(text, "Usage: ", synopsis(spec), 7 + spec.name().length() + 1);
        for (String paragraph : spec.description()) {
            wrap(text, "", paragraph, 0);
        }
        spec.parameters().ifPresent(parameters -> entry(text, "      " + bracketed(parameters), parameters.description()));
        for (CommandSpec.Option option : spec.options()) {
            entry(text, label(option), option.description());
        }
        if (!spec.subcommands().isEmpty()) {
            text.append("\nCommands:\n");
            int width = spec.subcommands().stream().mapToInt(String::length).max().orElse(0) + 2;
            for (String name : spec.subcommands()) {
                List<String> description = spec.subcommand(name).orElseThrow().spec().description();
                wrap(text, "  " + pad(name, width), description.isEmpty() ? "" : description.get(0), 2 + width + 2);
            }
        }
        if (!spec.exitCodes().isEmpty()) {
            text.append("\nExit status:\n");
            for (String[] exitCode : spec.exitCodes()) {
                wrap(text, "  " + pad(exitCode[0], 6), exitCode[1], 10);
            }
        }
        return text.toString();
    }

    /** {@code mayfly status [OPTIONS] [TASK_ID]}. */
    private static String synopsis(CommandSpec spec) {
        // Every command has --help and --version; "[OPTIONS]" once it has any of its own.
        String synopsis = spec.name() + (spec.options().size() > 2 ? " [OPTIONS]" : " [-hV]")
                + (spec.subcommands().isEmpty() ? "" : " [COMMAND]");
        return synopsis + spec.parameters().map(parameters -> " " + bracketed(parameters)).orElse("");
    }

    /** {@code FILE}, {@code [TASK_ID]}, {@code [PROGRAM ARGS...]}. */
    private static String bracketed(CommandSpec.Parameters parameters) {
        String label = parameters.label() + (parameters.max() > 1 ? "..." : "");
        return parameters.min() > 0 ? label : "[" + label + "]";
    }

    /** {@code   -f, --follow}, {@code       --prompt=TEXT}, {@code       --[no-]workers}. */
    private static String label(CommandSpec.Option option) {
        List<String> names = option.names();
        String name = option.longName();
        if (option.kind() == CommandSpec.Kind.NEGATABLE) {
            name = "--[no-]" + name.substring(2);
        }
        if (option.label() != null) {
            name += "=" + option.label();
        }
        return names.size() > 1 ? "  " + names.get(0) + ", " + name : "      " + name;
    }

    private static void entry(StringBuilder text, String label, String description) {
        if (description == null || description.isEmpty()) {
            text.append(label).append('\n');
        } else if (label.length() + 2 > DESCRIPTION_COLUMN) {
            text.append(label).append('\n');
            wrap(text, " ".repeat(DESCRIPTION_COLUMN), description, DESCRIPTION_COLUMN + 2);
        } else {
            wrap(text, pad(label, DESCRIPTION_COLUMN), description, DESCRIPTION_COLUMN + 2);
        }
    }

    /** {@code words} after {@code first}, broken at spaces within the width; lines after the first indented. */
    static void wrap(StringBuilder text, String first, String words, int indent) {
        StringBuilder line = new StringBuilder(first);
        boolean empty = true;
        for (String word : words.split(" ")) {
            if (word.isEmpty()) {
                continue;
            }
            if (!empty && line.length() + 1 + word.length() > WIDTH) {
                text.append(line).append('\n');
                line = new StringBuilder(" ".repeat(indent));
                empty = true;
            }
            line.append(empty ? "" : " ").append(word);
            empty = false;
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }
}
