package dev.mayfly.llm.tools;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.mayfly.api.TaskContext;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The tools the model is offered, by name, and how one call of them is run. */
public final class ToolBox {

    /** What a tool call gave: the text the model reads, and whether it worked. */
    public record Outcome(String text, boolean ok) {}

    private final Map<String, Tool> tools = new LinkedHashMap<>();

    public ToolBox(List<Tool> tools) {
        for (Tool tool : tools) {
            this.tools.put(tool.name(), tool);
        }
    }

    /**
     * The six workspace tools: list, read, search, write, edit, run.
     *
     * @param task runs the commands as part of the task and says when it is asked to stop
     */
    public static ToolBox forWorkspace(Workspace workspace, Duration commandTimeout, Set<String> hiddenVariables,
            TaskContext task) {
        return new ToolBox(List.of(new ListFilesTool(workspace), new ReadFileTool(workspace),
                new SearchTextTool(workspace), new WriteFileTool(workspace), new EditFileTool(workspace),
                new RunCommandTool(workspace, commandTimeout, hiddenVariables, task)));
    }

    public List<ToolSpecification> specifications() {
        return tools.values().stream().map(Tool::specification).toList();
    }

    /**
     * Runs one call. Whatever goes wrong becomes a result that tells the model what (an unknown
     * tool, bad arguments, a path outside the workspace, a file that cannot be read): the model can
     * correct itself, and the task goes on.
     *
     * @param maxChars the most the result may hold
     */
    public Outcome execute(ToolExecutionRequest request, int maxChars) {
        Tool tool = tools.get(request.name());
        if (tool == null) {
            return new Outcome("error: there is no tool '" + request.name() + "'; the tools are " + tools.keySet(), false);
        }
        try {
            String text = tool.run(ToolArguments.parse(request.arguments()), maxChars);
            return new Outcome(text.length() > maxChars ? text.substring(0, maxChars) + "\n(result cut at " + maxChars
                    + " characters)" : text, true);
        } catch (ToolException e) {
            return new Outcome("error: " + e.getMessage(), false);
        } catch (NoSuchFileException e) {
            return new Outcome("error: " + e.getMessage() + " does not exist", false);
        } catch (IOException | RuntimeException e) {
            return new Outcome("error: " + request.name() + " failed: " + e, false);
        }
    }
}
