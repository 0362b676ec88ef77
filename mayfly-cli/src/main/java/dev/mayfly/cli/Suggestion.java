package dev.mayfly.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** The known name closest to a mistyped one: {@code --promt} is {@code --prompt}, {@code stauts} is {@code status}. */
final class Suggestion {

    /** Suggest a name this close (in edits) to the unknown one, and no further. */
    static final int MAX_DISTANCE = 3;

    private Suggestion() {}

    /** {@code "; did you mean '--prompt'?"}, or nothing when no known name is close. */
    static String of(String unknown, Collection<String> known) {
        return closest(unknown, known).map(name -> "; did you mean '" + name + "'?").orElse("");
    }

    static Optional<String> closest(String unknown, Collection<String> known) {
        if (unknown.startsWith("-") && !unknown.startsWith("--")) {
            return Optional.empty(); // one letter is too little to guess from
        }
        return known.stream()
                .filter(name -> name.startsWith("--") == unknown.startsWith("--"))
                .min(Comparator.comparingInt(name -> distance(name, unknown)))
                .filter(name -> distance(name, unknown) <= MAX_DISTANCE);
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
