package dev.mayfly.analyze;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds functions cheaply, without parsing: in brace languages a block whose opening line looks
 * like a call or declaration ({@code name(…) {}) and is not a control statement; in Python a
 * {@code def} and the lines indented under it. Every block found is offered to {@code longest}.
 * Memory: one entry per open block (nesting depth, capped).
 */
final class BlockFinder {

    private static final int MAX_DEPTH = 256;
    private static final Set<String> CONTROL = Set.of("if", "else", "for", "foreach", "while", "do", "switch",
            "catch", "try", "finally", "synchronized", "return", "case", "default", "when", "match", "loop", "unsafe",
            "select", "defer", "go", "using", "lock", "with");
    private static final Pattern DEF = Pattern.compile("(async\\s+)?def\\s.*");

    private record Open(int line, String header, boolean function, int indent) {}

    private final String path;
    private final Language.BlockStyle style;
    private final TopN<Block> longest;
    private final Deque<Open> open = new ArrayDeque<>();
    private String lastCodeLine = "";
    private int lastCodeLineNumber;
    private int overflow;

    BlockFinder(String path, Language.BlockStyle style, TopN<Block> longest) {
        this.path = path;
        this.style = style;
        this.longest = longest;
    }

    /** A code line: its number, its text, and its code without comments and strings. */
    void codeLine(int number, String text, CharSequence code) {
        if (style == Language.BlockStyle.BRACES) {
            braces(number, text, code);
        } else if (style == Language.BlockStyle.INDENTATION) {
            indentation(number, text);
        }
        lastCodeLine = text;
        lastCodeLineNumber = number;
    }

    private void braces(int number, String text, CharSequence code) {
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '{') {
                // A lone "{" (Allman style) belongs to the line before it.
                boolean alone = code.toString().trim().startsWith("{");
                String header = alone ? lastCodeLine : text;
                int line = alone ? lastCodeLineNumber : number;
                if (open.size() < MAX_DEPTH) {
                    open.push(new Open(line, header, looksLikeFunction(header), 0));
                } else {
                    overflow++;
                }
            } else if (c == '}') {
                if (overflow > 0) {
                    overflow--;
                } else if (!open.isEmpty()) {
                    close(open.pop(), number);
                }
            }
        }
    }

    private void indentation(int number, String text) {
        int indent = indentOf(text);
        while (!open.isEmpty() && open.peek().indent() >= indent) {
            close(open.pop(), lastCodeLineNumber);
        }
        if (DEF.matcher(text.strip()).matches() && open.size() < MAX_DEPTH) {
            open.push(new Open(number, text, true, indent));
        }
    }

    /** The file ended: blocks still open (Python's, or unbalanced braces) end at the last code line. */
    void end() {
        if (style == Language.BlockStyle.INDENTATION) {
            while (!open.isEmpty()) {
                close(open.pop(), lastCodeLineNumber);
            }
        }
        open.clear();
    }

    private void close(Open block, int endLine) {
        if (block.function() && endLine > block.line()) {
            String header = block.header().strip();
            longest.offer(new Block(path, block.line(), endLine, header.length() > 120 ? header.substring(0, 120) : header));
        }
    }

    static boolean looksLikeFunction(String header) {
        String trimmed = header.strip();
        int paren = trimmed.indexOf('(');
        if (paren <= 0) {
            return false;
        }
        String firstWord = trimmed.split("[\\s(]", 2)[0];
        return !CONTROL.contains(firstWord) && !trimmed.startsWith("}") && !trimmed.contains("->")
                && !trimmed.contains("=>") && !trimmed.startsWith("new ");
    }

    private static int indentOf(String text) {
        int indent = 0;
        while (indent < text.length() && (text.charAt(indent) == ' ' || text.charAt(indent) == '\t')) {
            indent++;
        }
        return indent;
    }
}
