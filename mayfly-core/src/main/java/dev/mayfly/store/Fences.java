package dev.mayfly.store;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The claims this store made for its supervisor, and the check every write about a claimed task
 * passes: the task's row must still name this supervisor and this claim's number. A node whose lease
 * expired had its tasks settled by another node, which queued them again or ended them; another
 * claim (on any node) then runs them, and what the first node's attempts still report is refused.
 * That is how no task is ever completed twice. Used under the store's lock.
 */
final class Fences {

    /** A claim as its node holds it: whose it is and its number. */
    record Fence(String supervisorId, int claim) {}

    private final Database db;
    private final Map<String, Fence> held = new HashMap<>();

    Fences(Database db) {
        this.db = db;
    }

    void hold(String taskId, Fence fence) {
        held.put(taskId, fence);
    }

    /** The task ended under this claim: nothing more is written about it. */
    void release(String taskId) {
        held.remove(taskId);
    }

    /**
     * Why a write about the task would be a late one (its claim is no longer the task's), or empty
     * when it may be made: the task was not claimed through this store, or the claim still holds.
     */
    Optional<String> broken(String taskId) {
        Fence fence = held.get(taskId);
        if (fence == null) {
            return Optional.empty();
        }
        Fence now = db.query("SELECT supervisor_id, claims FROM tasks WHERE id = ?",
                rows -> rows.next() ? new Fence(rows.getString(1), rows.getInt(2)) : null, taskId);
        if (fence.equals(now)) {
            return Optional.empty();
        }
        return Optional.of("claim " + fence.claim() + " of " + fence.supervisorId() + " is no longer the task's"
                + (now == null ? "" : " (it is claim " + now.claim() + ", " + now.supervisorId() + "'s)"));
    }

    /** The claim this store made for the task, if it made one: for the event that refuses a late write. */
    Optional<Fence> of(String taskId) {
        return Optional.ofNullable(held.get(taskId));
    }
}
