package dev.mayfly.analyze;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** TODO, FIXME, HACK and XXX markers: all counted, the first {@value #MAX_LISTED} listed with file and line. */
final class Markers {

    static final int MAX_LISTED = 1000;
    private static final Pattern MARKER = Pattern.compile("\\b(TODO|FIXME|HACK|XXX)\\b");

    /** One marker: where, which, and its line's text (cut to 200 characters). */
    record Marker(String path, int line, String kind, String text) {}

    private final Map<String, Long> byKind = new LinkedHashMap<>();
    private final List<Marker> listed = new ArrayList<>();
    private long total;

    Markers() {
        for (String kind : List.of("TODO", "FIXME", "HACK", "XXX")) {
            byKind.put(kind, 0L);
        }
    }

    void scan(String path, int number, String line) {
        if (line.indexOf('T') < 0 && line.indexOf('F') < 0 && line.indexOf('H') < 0 && line.indexOf('X') < 0) {
            return;
        }
        Matcher matcher = MARKER.matcher(line);
        if (!matcher.find()) {
            return;
        }
        String kind = matcher.group(1);
        byKind.merge(kind, 1L, Long::sum);
        total++;
        if (listed.size() < MAX_LISTED) {
            String text = line.strip();
            listed.add(new Marker(path, number, kind, text.length() > 200 ? text.substring(0, 200) : text));
        }
    }

    long total() {
        return total;
    }

    Map<String, Long> byKind() {
        return byKind;
    }

    List<Marker> listed() {
        return listed;
    }
}
