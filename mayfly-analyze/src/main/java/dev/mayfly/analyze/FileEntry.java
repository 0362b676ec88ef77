package dev.mayfly.analyze;

/** A file's size, for the largest-files list. */
record FileEntry(String path, String language, long lines, long bytes) {}
