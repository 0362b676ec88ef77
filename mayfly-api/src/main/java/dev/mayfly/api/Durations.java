package dev.mayfly.api;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as users write them: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}; a bare number
 * is milliseconds. Mayfly reads its own settings with it; an agent reading its own settings can too.
 */
public final class Durations {

    public static final String ACCEPTED = "a duration such as 500ms, 30s, 10m or 2h (a bare number is milliseconds)";
    private static final Pattern FORM = Pattern.compile("(\\d{1,12})(ms|s|m|h)?");

    private Durations() {}

    /** @throws IllegalArgumentException when the text is not a duration */
    public static Duration parse(String text) {
        Matcher matcher = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException(ACCEPTED);
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "ms" : matcher.group(2);
        switch (unit) {
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            case "h":
                return Duration.ofHours(amount);
            default:
                return Duration.ofMillis(amount);
        }
    }
}
