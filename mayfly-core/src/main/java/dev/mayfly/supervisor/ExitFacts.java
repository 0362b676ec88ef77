package dev.mayfly.supervisor;

import dev.mayfly.agent.AgentOutcome;
import dev.mayfly.task.FailureReason;

/**
 * What the supervisor saw of one worker, from which its task's outcome is decided.
 *
 * @param result the worker's result message, or null when none came
 * @param exitAnnounced the worker said it was exiting (System.exit) before any result
 * @param connected the worker JVM came up and connected
 * @param exitCode the worker process's exit code
 * @param stopReason why the supervisor stopped the worker (timed out, interrupted, out of memory), or null
 * @param stopWhy the words for that stop, or null for the reason's usual ones
 * @param elapsedMs from the task's start to the worker's end, as the supervisor measured it
 * @param heapCapMb the worker's heap cap
 * @param heapPeakMb the highest heap use reported
 * @param rssPeakMb the highest resident set reported, or -1
 * @param lastOutputLine what the worker printed last, to explain a crash
 */
record ExitFacts(AgentOutcome result, boolean exitAnnounced, boolean connected, int exitCode,
        FailureReason stopReason, String stopWhy, long elapsedMs, int heapCapMb, double heapPeakMb, double rssPeakMb,
        String lastOutputLine) {}
