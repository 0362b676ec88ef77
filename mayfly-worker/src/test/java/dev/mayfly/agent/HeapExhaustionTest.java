package dev.mayfly.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapExhaustionTest {

    @Test
    void runtimes_saying_their_heap_ran_out_are_recognised_and_nothing_else_is() {
        assertThat(HeapExhaustion.in("<--- Last few GCs --->\nFATAL ERROR: Reached heap limit Allocation failed - "
                + "JavaScript heap out of memory\n 1: 0xb7a940 node::Abort()"))
                .contains("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory");
        assertThat(HeapExhaustion.in("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space"))
                .contains("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space");
        assertThat(HeapExhaustion.in("Traceback (most recent call last):\n  File \"x.py\", line 1\nMemoryError\n"))
                .contains("MemoryError");
        assertThat(HeapExhaustion.in("MemoryError: cannot allocate\n")).contains("MemoryError: cannot allocate");
        assertThat(HeapExhaustion.in("class MemoryErrorHandler failed\nexit 1")).isEmpty();
        assertThat(HeapExhaustion.in("")).isEmpty();
    }

    @Test
    void a_command_that_died_of_its_heap_says_so_with_the_node_limit_it_had() {
        CommandFailedException node = new CommandFailedException("node", 134,
                "chunks 150\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n",
                "--max-old-space-size=307");
        assertThat(node.outOfMemory()).isTrue();
        assertThat(node.getMessage()).isEqualTo("node ran out of its own heap (exit code 134, NODE_OPTIONS="
                + "--max-old-space-size=307): FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory");
        CommandFailedException plain = new CommandFailedException("sh", 3, "compiling\nbroken\n", null);
        assertThat(plain.outOfMemory()).isFalse();
        assertThat(plain.getMessage()).isEqualTo("sh exited with code 3: broken");
    }
}
