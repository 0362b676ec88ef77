package dev.mayfly.workflow;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the user asked a workflow run for.
 *
 * @param complexity the user's complexity ({@code --complexity}), or null to take the workflow's
 * @param workers workers on or off for every step ({@code --workers}), or null to follow USE_WORKERS
 */
public record RunRequest(String prompt, Map<String, String> params, Double complexity, Boolean workers, Path workDir) {}
