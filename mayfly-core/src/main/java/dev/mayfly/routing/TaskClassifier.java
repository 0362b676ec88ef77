package dev.mayfly.routing;

import dev.mayfly.api.Keyword;
import java.util.List;
import java.util.Locale;

/**
 * The seeds' {@code isLongRunningTask}: keywords and complexity decide whether a task is long.
 *
 * <ol>
 *   <li>a short keyword and complexity below 0.5: short;</li>
 *   <li>else a long keyword, or complexity above 0.7: long;</li>
 *   <li>else long when complexity is above 0.6.</li>
 * </ol>
 */
public final class TaskClassifier {

    private final List<Keyword> longKeywords;
    private final List<Keyword> shortKeywords;

    public TaskClassifier(List<String> longKeywords, List<String> shortKeywords) {
        this.longKeywords = longKeywords.stream().map(Keyword::new).toList();
        this.shortKeywords = shortKeywords.stream().map(Keyword::new).toList();
    }

    public Classification classify(String description, double complexity) {
        String shortMatch = firstMatch(shortKeywords, description);
        String longMatch = firstMatch(longKeywords, description);
        String c = String.format(Locale.ROOT, "%.2f", complexity);
        if (shortMatch != null && complexity < 0.5) {
            return new Classification(false, complexity,
                    "short-running keyword '" + shortMatch + "' and complexity " + c + " < 0.5");
        }
        if (longMatch != null) {
            return new Classification(true, complexity, "long-running keyword '" + longMatch + "'");
        }
        if (complexity > 0.7) {
            return new Classification(true, complexity, "complexity " + c + " > 0.7");
        }
        if (complexity > 0.6) {
            return new Classification(true, complexity, "complexity " + c + " > 0.6");
        }
        return new Classification(false, complexity, "no long-running keyword and complexity " + c + " <= 0.6");
    }

    private static String firstMatch(List<Keyword> keywords, String text) {
        for (Keyword keyword : keywords) {
            String match = keyword.findIn(text);
            if (match != null) {
                return match.toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }
}
