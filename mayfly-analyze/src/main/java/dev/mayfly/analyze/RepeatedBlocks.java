package dev.mayfly.analyze;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the same {@value Windows#SIZE} or more significant lines in several places, in two passes
 * whose memory follows the result, not the tree:
 * <ol>
 *   <li>every window's hash goes through a fixed-size Bloom filter; hashes it may have seen before
 *       are kept exactly ({@link #firstPass});</li>
 *   <li>the tree is read again, and only windows with a kept hash are located
 *       ({@link #secondPass}); consecutive repeated windows are then merged into longer blocks.</li>
 * </ol>
 * Each block keeps at most {@value #MAX_LOCATIONS} locations (and the count of all).
 */
final class RepeatedBlocks {

    static final int MAX_LOCATIONS = 10;

    /** One place a window occurs. */
    record Location(String path, int window, int startLine, int endLine) {

        boolean follows(Location previous) {
            return path.equals(previous.path) && window == previous.window + 1;
        }
    }

    /** A repeated block: its significant lines, how often it occurs, and where. */
    record Block(int lines, int occurrences, List<Location> locations) {}

    private static final class Group {
        int occurrences;
        final List<Location> locations = new ArrayList<>(2);
    }

    private final BloomFilter seen = new BloomFilter();
    private final LongSet repeated = new LongSet();
    private final Map<Long, Group> groups = new LinkedHashMap<>();

    /** The first pass's view of one file's windows. */
    Windows.Sink firstPass() {
        return (hash, index, start, end) -> {
            if (seen.addAndCheck(hash)) {
                repeated.add(hash);
            }
        };
    }

    /** The second pass's view of one file's windows. */
    Windows.Sink secondPass(String path) {
        return (hash, index, start, end) -> {
            if (repeated.contains(hash)) {
                Group group = groups.computeIfAbsent(hash, key -> new Group());
                group.occurrences++;
                if (group.locations.size() < MAX_LOCATIONS) {
                    group.locations.add(new Location(path, index, start, end));
                }
            }
        };
    }

    /** The repeated blocks, the biggest (lines times extra copies) first. */
    List<Block> blocks() {
        List<Group> real = new ArrayList<>();
        for (Group group : groups.values()) {
            if (group.occurrences > 1) {
                real.add(group);
            }
        }
        // In walk order, so that the windows of one block come one after another.
        real.sort(Comparator.comparing((Group g) -> g.locations.get(0).path())
                .thenComparingInt(g -> g.locations.get(0).window()));
        Map<String, Span> byLastWindow = new HashMap<>();
        List<Span> spans = new ArrayList<>();
        for (Group group : real) {
            Location first = group.locations.get(0);
            Span span = byLastWindow.remove(key(first.path(), first.window() - 1));
            if (span != null && span.continuesWith(group)) {
                span.extend(group.locations);
            } else {
                span = new Span(group);
                spans.add(span);
            }
            byLastWindow.put(key(first.path(), first.window()), span);
        }
        List<Block> blocks = new ArrayList<>();
        for (Span span : spans) {
            blocks.add(new Block(span.lines, span.occurrences, List.copyOf(span.locations)));
        }
        blocks.sort(Comparator.comparingLong((Block b) -> (long) b.lines() * (b.occurrences() - 1)).reversed());
        return blocks;
    }

    private static String key(String path, int window) {
        return path + '#' + window;
    }

    /** Consecutive repeated windows at the same places, growing into one block. */
    private static final class Span {
        final List<Location> locations;
        final int occurrences;
        int lines = Windows.SIZE;

        Span(Group group) {
            this.locations = new ArrayList<>(group.locations);
            this.occurrences = group.occurrences;
        }

        /** Whether each of the group's windows is the next window after this span's at the same place. */
        boolean continuesWith(Group group) {
            if (group.occurrences != occurrences || group.locations.size() != locations.size()) {
                return false;
            }
            for (int i = 0; i < locations.size(); i++) {
                if (!group.locations.get(i).follows(locations.get(i))) {
                    return false;
                }
            }
            return true;
        }

        void extend(List<Location> next) {
            for (int i = 0; i < locations.size(); i++) {
                Location from = locations.get(i);
                Location to = next.get(i);
                locations.set(i, new Location(from.path(), to.window(), from.startLine(), to.endLine()));
            }
            lines++;
        }
    }
}
