package dev.mayfly.analyze;

/**
 * Turns a file's lines into overlapping windows of {@value #SIZE} significant lines and hashes
 * each. A significant line has a letter or digit once trimmed: blank lines and lines of only
 * braces or punctuation neither count nor break a window, so "the same six lines" means the same
 * six lines of substance. One instance per file.
 */
final class Windows {

    static final int SIZE = 6;

    /** Receives each window: its hash, its index among the file's windows, its first and last line. */
    @FunctionalInterface
    interface Sink {
        void window(long hash, int index, int startLine, int endLine);
    }

    private final long[] lineHashes = new long[SIZE];
    private final int[] lineNumbers = new int[SIZE];
    private final Sink sink;
    private int significant;

    Windows(Sink sink) {
        this.sink = sink;
    }

    void line(int number, String text) {
        String trimmed = text.strip();
        if (!significant(trimmed)) {
            return;
        }
        int slot = significant % SIZE;
        lineHashes[slot] = hash(trimmed);
        lineNumbers[slot] = number;
        significant++;
        if (significant >= SIZE) {
            long hash = 0;
            int first = significant % SIZE;
            for (int i = 0; i < SIZE; i++) {
                hash = hash * 0x100000001B3L + lineHashes[(first + i) % SIZE];
            }
            sink.window(mix(hash), significant - SIZE, lineNumbers[first], number);
        }
    }

    private static boolean significant(String trimmed) {
        for (int i = 0; i < trimmed.length(); i++) {
            if (Character.isLetterOrDigit(trimmed.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** FNV-1a over the characters. */
    private static long hash(String text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** The MurmurHash3 finaliser: spreads the bits, so that the Bloom filter's probes are independent. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
