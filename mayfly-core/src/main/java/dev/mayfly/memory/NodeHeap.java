package dev.mayfly.memory;

import java.util.Optional;

/**
 * A heap limit for Node programs, derived from the task's tree cap: {@code NODE_OPTIONS} gets
 * {@code --max-old-space-size} at {@value #PERCENT_OF_CAP} % of the cap, so that a Node agent that
 * outgrows it fails with its own "JavaScript heap out of memory" (a cause a person can read) before
 * the tree cap ends it from outside. Why 60 %: V8's old space is most of a Node process but not all
 * of it (young generation, code, native buffers add 50 to 100 MB), and the worker JVM, when there
 * is one, shares the cap. A user who set {@code --max-old-space-size} keeps theirs;
 * {@code MAYFLY_NODE_HEAP=off} turns this off.
 */
final class NodeHeap {

    static final int PERCENT_OF_CAP = 60;
    static final String FLAG = "--max-old-space-size";

    private NodeHeap() {}

    /** The {@code NODE_OPTIONS} to give, or empty to leave the user's as it is. */
    static Optional<String> nodeOptions(String existing, int capMb) {
        if (existing != null && existing.contains(FLAG)) {
            return Optional.empty();
        }
        String flag = FLAG + "=" + maxOldSpaceMb(capMb);
        return Optional.of(existing == null || existing.isBlank() ? flag : existing.trim() + " " + flag);
    }

    static int maxOldSpaceMb(int capMb) {
        return (int) ((long) capMb * PERCENT_OF_CAP / 100);
    }
}
