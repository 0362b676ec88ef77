package dev.mayfly.llm.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import java.io.IOException;

/** One thing the model can do in the workspace. */
public interface Tool {

    /** The name, description and parameters the model is told. */
    ToolSpecification specification();

    /**
     * Does it.
     *
     * @param maxChars the most the result may hold; a tool pages or cuts its output to fit and says how to get the rest
     * @return the result, as the model will read it
     * @throws ToolException when the call cannot be done as asked (its message tells the model why)
     */
    String run(ToolArguments arguments, int maxChars) throws ToolException, IOException;

    default String name() {
        return specification().name();
    }
}
