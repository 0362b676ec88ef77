package dev.mayfly.orchestrator;

import dev.mayfly.errors.MayflyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The free space on the disk under Mayfly's home, checked before each task is accepted: a task
 * whose log, store rows and artifacts could not be written would fail half-recorded, so below the
 * reserve none starts, and the refusal names the folder and the numbers.
 */
final class DiskSpace {

    private DiskSpace() {}

    /**
     * @param what what is refused, for the message: "the task", "the batch"
     * @throws MayflyException when the disk holding {@code home} has less than {@code reserveMb} free
     */
    static void checkFree(Path home, int reserveMb, String what) {
        long freeMb;
        try {
            freeMb = Files.getFileStore(home).getUsableSpace() / (1024 * 1024);
        } catch (IOException e) {
            throw new MayflyException("cannot tell the free space on the disk holding " + home + ": " + e.getMessage(), e);
        }
        if (freeMb < reserveMb) {
            throw new MayflyException("the disk holding " + home + " has " + freeMb + " MB free, below the reserve of "
                    + reserveMb + " MB (MAYFLY_DISK_RESERVE_MB); " + what + " was not started: free some space, or "
                    + "lower the reserve");
        }
    }
}
