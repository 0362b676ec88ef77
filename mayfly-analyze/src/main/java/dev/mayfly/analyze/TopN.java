package dev.mayfly.analyze;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.ToLongFunction;

/** The N largest of a stream of items by some size, in memory for N items only. */
final class TopN<T> {

    private final int limit;
    private final ToLongFunction<T> size;
    private final PriorityQueue<T> smallestFirst;

    TopN(int limit, ToLongFunction<T> size) {
        this.limit = limit;
        this.size = size;
        this.smallestFirst = new PriorityQueue<>(Comparator.comparingLong(size));
    }

    void offer(T item) {
        if (smallestFirst.size() < limit) {
            smallestFirst.add(item);
        } else if (size.applyAsLong(item) > size.applyAsLong(smallestFirst.peek())) {
            smallestFirst.poll();
            smallestFirst.add(item);
        }
    }

    /** The items kept, largest first. */
    List<T> largestFirst() {
        List<T> items = new ArrayList<>(smallestFirst);
        items.sort(Comparator.comparingLong(size).reversed());
        return items;
    }
}
