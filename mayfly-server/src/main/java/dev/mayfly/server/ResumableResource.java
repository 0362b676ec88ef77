package dev.mayfly.server;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A resource of work that runs for a while and can be stopped and taken up again (workflow runs,
 * batches): {@code POST} starts one, {@code GET} lists the recent ones, {@code GET /{id}} shows one,
 * {@code POST /{id}/cancel} cancels it, {@code POST /{id}/resume} takes it up again.
 */
abstract class ResumableResource extends ApiResource {

    private static final int DEFAULT_LISTED = 20;
    private static final int MAX_LISTED = 1000;

    /** What the list's array is called in its answer: {@code runs}, {@code batches}. */
    private final String listName;
    private final Clock clock;

    ResumableResource(String prefix, String listName, Clock clock) {
        super(prefix);
        this.listName = listName;
        this.clock = clock;
    }

    abstract void start(HttpCall call) throws IOException;

    /** The most recent ones, newest first, as a list shows them; of those, only ones created since {@code since}. */
    abstract List<Map<String, Object>> recent(int limit, Instant since);

    /** One of them as JSON; a {@link HttpCall.Refusal} 404 when there is none. */
    abstract Map<String, Object> detail(String id);

    abstract void cancel(HttpCall call, String id) throws IOException;

    abstract void resume(HttpCall call, String id) throws IOException;

    @Override
    final boolean route(HttpCall call, String method, List<String> parts) throws IOException {
        if (parts.isEmpty() && method.equals("POST")) {
            start(call);
        } else if (parts.isEmpty() && method.equals("GET")) {
            Map<String, String> query = call.query();
            call.json(200, Map.of(listName, recent(HttpCall.number(query, "limit", DEFAULT_LISTED, 1, MAX_LISTED),
                    HttpCall.since(query, clock.instant()))));
        } else if (parts.size() == 1 && method.equals("GET")) {
            call.json(200, detail(parts.get(0)));
        } else if (parts.size() == 2 && parts.get(1).equals("cancel") && method.equals("POST")) {
            cancel(call, parts.get(0));
        } else if (parts.size() == 2 && parts.get(1).equals("resume") && method.equals("POST")) {
            resume(call, parts.get(0));
        } else {
            return false;
        }
        return true;
    }
}
