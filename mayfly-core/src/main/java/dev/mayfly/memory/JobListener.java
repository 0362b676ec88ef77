package dev.mayfly.memory;

/** Hears what the watch sees of one task's memory; called on the watch's thread, so it must be quick. */
public interface JobListener {

    /** Every report interval: the tree's memory now. */
    void sample(JobReading reading);

    /** The tree rose past the warning threshold (once per crossing). */
    void warning(JobReading reading, double thresholdPercent);

    /** Memory ended the task: its processes are already gone or going. */
    void breached(MemoryBreach breach);
}
