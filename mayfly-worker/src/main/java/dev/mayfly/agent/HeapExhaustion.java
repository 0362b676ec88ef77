package dev.mayfly.agent;

import java.util.Optional;

/**
 * What a runtime prints when it runs out of its own heap, so that a command that died of it ends
 * {@code out_of_memory}, not {@code error}: V8's "JavaScript heap out of memory" (Node, whose heap
 * limit Mayfly derives from the task's memory cap), a JVM's {@code java.lang.OutOfMemoryError}, and
 * Python's {@code MemoryError} as the last line of a traceback.
 */
final class HeapExhaustion {

    private HeapExhaustion() {}

    /** The line of {@code output} that says a heap ran out, if one does. */
    static Optional<String> in(String output) {
        String found = null;
        for (String line : output.split("\n")) {
            String text = line.strip();
            if (text.contains("JavaScript heap out of memory") || text.contains("java.lang.OutOfMemoryError")
                    || text.equals("MemoryError") || text.startsWith("MemoryError:")) {
                found = text;
            }
        }
        return Optional.ofNullable(found);
    }
}
