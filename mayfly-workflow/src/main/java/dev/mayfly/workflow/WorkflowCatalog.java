package dev.mayfly.workflow;

import dev.mayfly.config.FileReasons;
import dev.mayfly.config.Settings;
import dev.mayfly.config.StrictUtf8;
import dev.mayfly.errors.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The workflows Mayfly knows: its built-in ones, and a project's own in
 * {@code $MAYFLY_HOME/workflows/*.yaml}, which win over a built-in of the same name.
 */
public final class WorkflowCatalog {

    static final List<String> BUILTINS = List.of("codebase-analysis", "code-review", "implement");

    /**
     * @param workflows by name, built-ins first
     * @param problems files that could not be loaded, each as its one-line error
     */
    public record Contents(Map<String, Workflow> workflows, List<String> problems) {

        /** The workflows, or the first problem as a usage error: nothing runs while a workflow file is broken. */
        public Map<String, Workflow> checked() {
            if (!problems.isEmpty()) {
                throw new UsageException(problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1)
                        + " more; see 'mayfly workflows')" : ""));
            }
            return workflows;
        }
    }

    private final WorkflowLoader loader;
    private final Path projectDir;

    public WorkflowCatalog(Settings settings) {
        this.loader = new WorkflowLoader(settings);
        this.projectDir = settings.home().resolve("workflows");
    }

    public Path projectDir() {
        return projectDir;
    }

    public Contents load() {
        Map<String, Workflow> workflows = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String name : BUILTINS) {
            workflows.put(name, builtin(name));
        }
        for (Path file : projectFiles()) {
            try {
                Workflow workflow = loadFile(file);
                workflows.put(workflow.name(), workflow);
            } catch (UsageException e) {
                problems.add(e.getMessage());
            }
        }
        return new Contents(workflows, problems);
    }

    /**
     * A workflow by its name, or a file's path.
     *
     * @param setting what named it, for the error: {@code --workflow}, or the API's {@code workflow}
     */
    public Workflow find(String setting, String nameOrFile) {
        Path file = Path.of(nameOrFile);
        if (nameOrFile.endsWith(".yaml") || nameOrFile.endsWith(".yml") || Files.isRegularFile(file)) {
            if (!Files.isRegularFile(file)) {
                throw UsageException.invalid(setting, nameOrFile, "a workflow's name or an existing workflow file");
            }
            return loadFile(file);
        }
        Map<String, Workflow> workflows = load().checked();
        Workflow workflow = workflows.get(nameOrFile);
        if (workflow == null) {
            throw UsageException.invalid(setting, nameOrFile, "a workflow's name (" + String.join(", ",
                    workflows.keySet()) + ") or a workflow file");
        }
        return workflow;
    }

    public Workflow loadFile(Path file) {
        try {
            String what = "the workflow file " + file;
            return loader.load(file.toString(), StrictUtf8.decode(what, Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UsageException("cannot read the workflow file " + file + ": " + FileReasons.of(e));
        }
    }

    /** Loads a workflow from the text a run kept of it (to resume the run as it was defined). */
    public Workflow loadText(String source, String text) {
        return loader.load(source, text);
    }

    private Workflow builtin(String name) {
        try (InputStream in = WorkflowCatalog.class.getResourceAsStream("builtin/" + name + ".yaml")) {
            return loader.load("builtin:" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the built-in workflow " + name + " is missing from the build", e);
        }
    }

    private List<Path> projectFiles() {
        if (!Files.isDirectory(projectDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(projectDir)) {
            return files.filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml")).sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
