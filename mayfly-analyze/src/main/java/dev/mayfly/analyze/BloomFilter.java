package dev.mayfly.analyze;

/**
 * Remembers, in a fixed 16 MB, which hashes have been seen: "maybe" or "certainly not". The first
 * pass of the repeated-block search puts every window here, so that only windows seen twice (and
 * a few false alarms, well under 1 % for ten million windows) are kept exactly.
 */
final class BloomFilter {

    private static final int BITS_LOG2 = 27;
    private static final long MASK = (1L << BITS_LOG2) - 1;
    private static final int PROBES = 4;

    private final long[] bits = new long[1 << (BITS_LOG2 - 6)];

    /** Adds the hash; returns whether it may have been added before. */
    boolean addAndCheck(long hash) {
        long h2 = Long.rotateLeft(hash, 32) * 0x9E3779B97F4A7C15L | 1;
        boolean seen = true;
        for (int i = 0; i < PROBES; i++) {
            long bit = (hash + i * h2) & MASK;
            int word = (int) (bit >>> 6);
            long flag = 1L << (bit & 63);
            if ((bits[word] & flag) == 0) {
                seen = false;
                bits[word] |= flag;
            }
        }
        return seen;
    }
}
