package dev.mayfly.log;

import java.lang.reflect.RecordComponent;
import java.util.StringJoiner;

/**
 * A record as its own {@code toString} shows it, {@code Name[a=1, b=x]}, made by reading its parts
 * instead. A record's own is built at its first use from method handles, and the first of those in
 * a JVM costs about 40 ms: every supervisor paid it at its start, which logs its settings
 * (docs/benchmarks.md, "The command line"). The settings' records show themselves through this.
 */
public final class RecordText {

    private RecordText() {}

    public static String of(Record record) {
        Class<?> type = record.getClass();
        StringJoiner parts = new StringJoiner(", ", type.getSimpleName() + "[", "]");
        for (RecordComponent component : type.getRecordComponents()) {
            try {
                parts.add(component.getName() + "=" + component.getAccessor().invoke(record));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + type.getSimpleName() + "." + component.getName(), e);
            }
        }
        return parts.toString();
    }
}
