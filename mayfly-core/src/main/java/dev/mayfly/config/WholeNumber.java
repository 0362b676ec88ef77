package dev.mayfly.config;

import dev.mayfly.errors.UsageException;

/** A whole number a user gave (a flag, a query field), in a range, or one line that names it. */
public final class WholeNumber {

    private WholeNumber() {}

    /** @param setting the flag or field, for the message */
    public static int parse(String setting, String text, int min, int max) {
        return parse(setting, text, min, max, "a whole number from " + min + " to " + max);
    }

    /** @param accepted what the message says is accepted */
    public static int parse(String setting, String text, int min, int max, String accepted) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Named below, with what is accepted.
        }
        throw UsageException.invalid(setting, text, accepted);
    }
}
