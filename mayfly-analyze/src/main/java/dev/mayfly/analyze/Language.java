package dev.mayfly.analyze;

import java.util.List;

/**
 * A programming (or markup) language as the analysis sees it: how its comments look, which
 * characters open a string, and how its blocks are delimited.
 *
 * @param name the language's name, as line counters usually spell it
 * @param lineComments what starts a comment running to the end of the line
 * @param blockStart what opens a block comment, or null
 * @param blockEnd what closes it, or null
 * @param quotes the characters that open a string literal on one line (comment markers inside one do not count)
 * @param blocks how functions and other blocks are delimited, for the longest-block search
 */
record Language(String name, List<String> lineComments, String blockStart, String blockEnd, String quotes,
        BlockStyle blocks) {

    /** How a language delimits its blocks. */
    enum BlockStyle {
        /** { and }, as in C, Java, Go, JavaScript, Rust. */
        BRACES,
        /** def/class and indentation, as in Python. */
        INDENTATION,
        /** Not looked for. */
        NONE
    }

    boolean hasBlockComments() {
        return blockStart != null;
    }
}
