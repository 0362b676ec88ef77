package dev.mayfly.analyze;

/**
 * Tells blank, comment and code lines apart for one file, carrying block-comment state from line
 * to line. Comment markers inside a string on the same line do not count. It also hands out the
 * line's code with comments and string contents removed, for the block search.
 */
final class LineClassifier {

    private final Language language;
    private boolean inBlockComment;
    private boolean firstLine = true;
    private final StringBuilder code = new StringBuilder(256);

    LineClassifier(Language language) {
        this.language = language;
    }

    LineKind classify(String line) {
        code.setLength(0);
        boolean first = firstLine;
        firstLine = false;
        if (line.isBlank()) {
            return LineKind.BLANK;
        }
        if (first && line.startsWith("#!")) {
            // An interpreter line is an instruction, not a remark (line counters such as cloc agree).
            return LineKind.CODE;
        }
        boolean hasCode = false;
        int i = 0;
        int length = line.length();
        while (i < length) {
            if (inBlockComment) {
                int end = line.indexOf(language.blockEnd(), i);
                if (end < 0) {
                    return hasCode ? LineKind.CODE : LineKind.COMMENT;
                }
                inBlockComment = false;
                i = end + language.blockEnd().length();
                continue;
            }
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (startsLineComment(line, i)) {
                break;
            }
            if (language.hasBlockComments() && line.startsWith(language.blockStart(), i)) {
                inBlockComment = true;
                i += language.blockStart().length();
                continue;
            }
            hasCode = true;
            if (language.quotes().indexOf(c) >= 0) {
                i = skipString(line, i, c);
                code.append(c).append(c);
                continue;
            }
            code.append(c);
            i++;
        }
        return hasCode ? LineKind.CODE : LineKind.COMMENT;
    }

    /** The code of the last classified line, comments and string contents removed. */
    CharSequence code() {
        return code;
    }

    private boolean startsLineComment(String line, int i) {
        for (String marker : language.lineComments()) {
            if (line.startsWith(marker, i)) {
                return true;
            }
        }
        return false;
    }

    /** The index after the string that opens at {@code start}, or the line's end when it does not close. */
    private static int skipString(String line, int start, char quote) {
        int i = start + 1;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        return line.length();
    }
}
