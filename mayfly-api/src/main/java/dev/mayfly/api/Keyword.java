package dev.mayfly.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One routing keyword and the pattern that finds it: whole words, any case, with their common
 * inflections. "implement" finds implements, implemented, implementing and implementation;
 * "fix" finds fixes, fixed and fixing; "add" does not find "address".
 *
 * <p>In a phrase, the first word is inflected, the last may be plural, and up to two words may
 * stand between ("analyze codebase" finds "analyzing the codebase" and "analyze large codebase").
 * "large-scale" also finds "large scale".
 */
public final class Keyword {

    private static final String SUFFIXES = "(?:s|es|ed|d|ing|ion|ions|ation|ations|al|ally|ly|ment|ments)?";

    private final String word;
    private final Pattern pattern;

    public Keyword(String word) {
        this.word = word.toLowerCase(Locale.ROOT).trim();
        this.pattern = Pattern.compile("\\b" + build(this.word) + "\\b", Pattern.CASE_INSENSITIVE);
    }

    private static String build(String phrase) {
        String[] words = phrase.split("\\s+");
        if (words.length == 1) {
            return inflected(words[0]);
        }
        List<String> parts = new ArrayList<>();
        parts.add(inflected(words[0]));
        for (int i = 1; i < words.length - 1; i++) {
            parts.add(Pattern.quote(words[i]));
        }
        parts.add(Pattern.quote(words[words.length - 1]) + "s?");
        return String.join("\\s+(?:\\w+\\s+){0,2}", parts);
    }

    /** A word and its inflections; a final e may drop (update → updating), a hyphen may be a space. */
    private static String inflected(String word) {
        String quoted = Pattern.quote(word).replace("-", "\\E[- ]\\Q");
        String alternatives = quoted + SUFFIXES;
        if (word.endsWith("e")) {
            alternatives += "|" + Pattern.quote(word.substring(0, word.length() - 1)) + SUFFIXES;
        }
        // analyze is also spelt analyse
        if (word.contains("yz")) {
            alternatives += "|" + inflected(word.replace("yz", "ys"));
        }
        return "(?:" + alternatives + ")";
    }

    public String word() {
        return word;
    }

    /** The text's first match of this keyword, or null. */
    public String findIn(String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group() : null;
    }
}
