package dev.mayfly.analyze;

/**
 * A function or other named block.
 *
 * @param header the line that opens it (trimmed, cut to 120 characters)
 */
record Block(String path, int startLine, int endLine, String header) {

    int lines() {
        return endLine - startLine + 1;
    }
}
