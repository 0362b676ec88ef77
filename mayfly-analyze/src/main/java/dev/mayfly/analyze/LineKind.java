package dev.mayfly.analyze;

/** What a line is, as line counters count it. */
enum LineKind {
    /** Only whitespace (also inside a block comment). */
    BLANK,
    /** Only comment. */
    COMMENT,
    /** Any code, with or without a comment beside it. */
    CODE
}
