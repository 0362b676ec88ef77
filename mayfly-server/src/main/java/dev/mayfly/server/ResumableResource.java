package dev.mayfly.server;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A resource of work that runs for a while and can be stopped and taken up again (workflow runs,
 * batches): {@code POST} starts one, {@code GET /{id}} shows it, {@code POST /{id}/cancel} cancels
 * it, {@code POST /{id}/resume} takes it up again.
 */
abstract class ResumableResource extends ApiResource {

    ResumableResource(String prefix) {
        super(prefix);
    }

    abstract void start(HttpCall call) throws IOException;

    /** One of them as JSON; a {@link HttpCall.Refusal} 404 when there is none. */
    abstract Map<String, Object> detail(String id);

    abstract void cancel(HttpCall call, String id) throws IOException;

    abstract void resume(HttpCall call, String id) throws IOException;

    @Override
    final boolean route(HttpCall call, String method, List<String> parts) throws IOException {
        if (parts.isEmpty() && method.equals("POST")) {
            start(call);
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
