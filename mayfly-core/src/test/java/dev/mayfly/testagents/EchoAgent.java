package dev.mayfly.testagents;

import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;
import java.util.LinkedHashMap;
import java.util.Map;

/** Answers with the prompt, its parameters and the pid it ran in. */
public class EchoAgent implements Agent {
    @Override
    public Object run(TaskContext context) {
        context.progress("echoing", 0.5);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("echo", context.prompt());
        answer.put("params", context.params());
        answer.put("pid", ProcessHandle.current().pid());
        return answer;
    }
}
