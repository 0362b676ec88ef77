package dev.mayfly.routing;

/** Decides where a task runs: a worker when workers are on and the task is long, else in-process. */
public final class Router {

    private final TaskClassifier classifier;

    public Router(TaskClassifier classifier) {
        this.classifier = classifier;
    }

    /**
     * @param workersOn the feature flag ({@code USE_WORKERS} or {@code --workers})
     */
    public RoutingDecision route(String prompt, double complexity, boolean workersOn) {
        Classification classification = classifier.classify(prompt, complexity);
        if (!workersOn) {
            return new RoutingDecision(Mode.IN_PROCESS, classification,
                    "worker pattern disabled (USE_WORKERS=false); task is "
                            + (classification.longRunning() ? "long" : "short") + "-running: " + classification.reason(),
                    false);
        }
        if (classification.longRunning()) {
            return new RoutingDecision(Mode.WORKER, classification, "long-running task: " + classification.reason(), true);
        }
        return new RoutingDecision(Mode.IN_PROCESS, classification, "task is short-running: " + classification.reason(), true);
    }
}
