package dev.mayfly.analyze;

import java.util.Arrays;

/**
 * A set of longs in one primitive array (open addressing), about 16 bytes a member where a
 * {@code HashSet<Long>} takes about 50. Holds the window hashes seen more than once.
 */
final class LongSet {

    private static final long EMPTY = 0;
    private long[] slots = new long[1024];
    private int size;

    void add(long value) {
        long key = value == EMPTY ? 1 : value;
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        int index = indexOf(slots, key);
        if (slots[index] == EMPTY) {
            slots[index] = key;
            size++;
        }
    }

    boolean contains(long value) {
        long key = value == EMPTY ? 1 : value;
        return slots[indexOf(slots, key)] == key;
    }

    int size() {
        return size;
    }

    private static int indexOf(long[] table, long key) {
        int mask = table.length - 1;
        int index = (int) (key ^ (key >>> 32)) & mask;
        while (table[index] != EMPTY && table[index] != key) {
            index = (index + 1) & mask;
        }
        return index;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        for (long key : old) {
            if (key != EMPTY) {
                slots[indexOf(slots, key)] = key;
            }
        }
        Arrays.fill(old, EMPTY);
    }
}
