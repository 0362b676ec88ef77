package dev.mayfly.routing;

import dev.mayfly.errors.UsageException;
import java.util.Locale;

/** A task's complexity, 0 to 1: {@code low} 0.3, {@code medium} 0.5, {@code high} 0.8, a number, or 0.5 when missing. */
public final class Complexity {

    public static final double LOW = 0.3;
    public static final double MEDIUM = 0.5;
    public static final double HIGH = 0.8;
    public static final double MISSING = MEDIUM;
    public static final String ACCEPTED = "low, medium, high, or a number from 0 to 1";

    private Complexity() {}

    /**
     * Parses a complexity as given by a user or a workflow.
     *
     * @param setting the flag or field it came from, for the error message
     * @param text the value, or null when missing
     */
    public static double parse(String setting, String text) {
        if (text == null || text.isBlank()) {
            return MISSING;
        }
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "low":
                return LOW;
            case "medium":
                return MEDIUM;
            case "high":
                return HIGH;
            default:
                try {
                    double value = Double.parseDouble(text.trim());
                    if (value >= 0 && value <= 1) {
                        return value;
                    }
                } catch (NumberFormatException e) {
                    // Falls through to the error below.
                }
                throw UsageException.invalid(setting, text, ACCEPTED);
        }
    }
}
