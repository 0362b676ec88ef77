package dev.mayfly.memory;

/**
 * The memory this Mayfly process can use on its host: what admission and the host floor judge by.
 * An interface so that tests can set the figures (a real host's cannot be moved on demand).
 */
public interface HostMemory {

    /**
     * What this process could still use, in MB: the smaller of the kernel's {@code MemAvailable} and
     * what its own cgroup (v1 or v2) still allows, so that Mayfly in a container sees the container.
     */
    long availableMb();

    /** All the memory this process could ever use, in MB: the host's total, or its cgroup's limit when lower. */
    long usableMb();

    /** One line saying where the figures come from, for {@code mayfly validate}. */
    String describe();
}
