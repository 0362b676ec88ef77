package dev.mayfly.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorSoakBenchmarkTest {

    @TempDir
    Path folder;

    @Test
    void the_heap_is_read_after_the_last_full_collection_of_the_gc_log() throws Exception {
        // As JDK 17's serial collector writes it with -Xlog:gc,gc+heap.
        Path log = Files.writeString(folder.resolve("gc.log"), """
                [4.885s][info][gc,start       ] GC(395) Pause Full (Allocation Failure)
                [4.896s][info][gc,heap        ] GC(395) DefNew: 1852K(1856K)->512K(1856K) Eden: 1660K(1664K)->0K(1664K) From: 192K(192K)->0K(192K)
                [4.896s][info][gc,heap        ] GC(395) Tenured: 13717K(13968K)->4608K(13968K)
                [4.896s][info][gc             ] GC(395) Pause Full (Allocation Failure) 13M->4M(15M) 10.445ms
                [4.929s][info][gc,heap        ] GC(396) DefNew: 1664K(1856K)->150K(1856K) Eden: 1664K(1664K)->0K(1664K) From: 0K(192K)->150K(192K)
                [4.929s][info][gc,heap        ] GC(396) Tenured: 4901K(13968K)->4999K(13968K)
                [4.929s][info][gc             ] GC(396) Pause Young (Allocation Failure) 6M->4M(15M) 2.338ms
                """);

        assertThat(SupervisorSoakBenchmark.heapAfterLastFullCollectionMb(log)).as("GC(395): 512K + 4608K, not the young one after")
                .isEqualTo(5.0);
        assertThat(SupervisorSoakBenchmark.heapAfterLastFullCollectionMb(folder.resolve("none.log"))).isNaN();
    }
}
