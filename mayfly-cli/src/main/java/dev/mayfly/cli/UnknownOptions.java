package dev.mayfly.cli;

import java.util.Comparator;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Names an unknown option before anything else is said about a command line: picocli reports a
 * missing required option first, so {@code run --promt x} would say "Missing required option:
 * '--prompt'" and hide the typo that caused it.
 */
final class UnknownOptions {

    /** Suggest an option this close (in edits) to the unknown one, and no further. */
    static final int MAX_DISTANCE = 3;

    private UnknownOptions() {}

    /** {@code Unknown option: '--promt'; did you mean '--prompt'?} for the first unknown option, if any. */
    static Optional<String> first(CommandSpec spec, String[] args) {
        boolean valueNext = false;
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            OptionSpec option = spec.optionsMap().get(name);
            if (!valueNext && option == null && name.startsWith("--") && name.length() > 2) {
                return Optional.of("Unknown option: '" + name + "'" + closest(spec, name)
                        .map(known -> "; did you mean '" + known + "'?").orElse(""));
            }
            // The word after an option that takes a value is that value, whatever it looks like.
            valueNext = option != null && !arg.contains("=") && option.arity().max() > 0;
        }
        return Optional.empty();
    }

    private static Optional<String> closest(CommandSpec spec, String name) {
        return spec.optionsMap().keySet().stream()
                .filter(known -> known.startsWith("--") == name.startsWith("--"))
                .min(Comparator.comparingInt(known -> distance(known, name)))
                .filter(known -> distance(known, name) <= MAX_DISTANCE);
    }

    /** Levenshtein distance: insertions, deletions and substitutions that turn one into the other. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
