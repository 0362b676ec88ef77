package dev.mayfly.log;

/** How log lines look on the console; the log file is always JSON lines. */
public enum LogFormat {
    /** Readable lines such as {@code [Orchestrator Entry] Using worker pattern for long-running task}. */
    TEXT,
    /** The same JSON lines as the log file. */
    JSON
}
