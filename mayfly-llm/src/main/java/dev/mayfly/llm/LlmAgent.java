package dev.mayfly.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;
import dev.mayfly.json.Json;
import dev.mayfly.llm.tools.ToolBox;
import dev.mayfly.llm.tools.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * The built-in {@code llm} agent: a tool loop. The model is asked what to do, its tool calls are
 * run in the task's workspace, their results go back, until it answers without a tool call.
 *
 * <p>Only a bounded window of the conversation is in memory ({@link ContextWindow}, compacted by
 * {@link Compactor}); every turn is also a context segment in the store. The agent checkpoints after
 * every model call and every tool call, so a rotation or a killed worker continues where it was and
 * never runs a completed tool call again. Every model call and tool call is an event of the task.
 */
public final class LlmAgent implements Agent {

    static final String SYSTEM_PROMPT = "You are a careful software engineer working through tools in a workspace "
            + "folder. Look before you change: list, read and search files first. Make the changes the task asks for "
            + "with write_file and edit_file, and check them with run_command when there is something to run. Paths "
            + "are relative to the workspace. When the task is done, answer with a short account of what you did and "
            + "found, without calling a tool.";

    /** The tool results of one round may take at most this share of the context budget. */
    static final double ROUND_RESULTS_SHARE = 0.2;
    /** The head (system prompt and task) may take at most this share of the budget. */
    static final double HEAD_SHARE = 0.25;
    /** A model turn may take at most this share of the budget. */
    static final double OUTPUT_SHARE = 0.125;

    private final Clock clock;
    private final Map<String, String> environment;

    public LlmAgent() {
        this(Clock.systemUTC(), System.getenv());
    }

    LlmAgent(Clock clock, Map<String, String> environment) {
        this.clock = clock;
        this.environment = environment;
    }

    @Override
    public Object run(TaskContext context) throws Exception {
        LlmSettings settings = LlmSettings.read(environment, context.params());
        int maxOutputTokens = (int) Math.min(settings.maxOutputTokens(), settings.contextTokens() * OUTPUT_SHARE);
        ChatModel model = ChatModels.create(settings);
        Workspace workspace = new Workspace(context.workDir());
        ToolBox tools = ToolBox.forWorkspace(workspace, settings.commandTimeout(),
                hiddenVariables(),
                context::cancelled);
        Loop loop = context.lastCheckpoint().isPresent()
                ? Loop.resume(Json.readObject(context.lastCheckpoint().get()))
                : Loop.start(context, workspace, clock.millis());
        if (loop.window.headTokens() > settings.contextTokens() * HEAD_SHARE) {
            throw new IllegalArgumentException("the task's prompt is about " + loop.window.headTokens()
                    + " tokens, more than a quarter of the context budget (MAYFLY_LLM_CONTEXT_TOKENS="
                    + settings.contextTokens() + "); raise the budget or shorten the prompt");
        }
        Compactor compactor = new Compactor(model, settings.contextTokens());
        while (true) {
            List<ToolExecutionRequest> pending = loop.window.unansweredToolCalls();
            if (!pending.isEmpty()) {
                runTools(context, loop, tools, pending, settings);
                continue;
            }
            checkLimits(loop, settings);
            if (compactor.needed(loop.window)) {
                Compactor.Result compacted = compactor.compact(loop.window);
                if (compacted != null) {
                    loop.compactions++;
                    loop.inputTokens += compacted.inputTokens();
                    loop.outputTokens += compacted.outputTokens();
                    context.contextSegment(compacted.segment());
                    context.event("context_compacted", compacted.event());
                }
            }
            AiMessage answer = callModel(context, loop, model, tools, maxOutputTokens, settings);
            if (!answer.hasToolExecutionRequests()) {
                return finish(context, loop, answer, settings);
            }
            context.checkpoint(loop.state());
        }
    }

    /** What a command the model runs must not see: every API key. */
    private static Set<String> hiddenVariables() {
        return new HashSet<>(LlmSettings.KEY_VARIABLES);
    }

    private AiMessage callModel(TaskContext context, Loop loop, ChatModel model, ToolBox tools, int maxOutputTokens,
            LlmSettings settings) {
        if (context.cancelled()) {
            throw new CancellationException("the task was asked to stop");
        }
        loop.step++;
        long contextTokens = loop.window.tokens();
        long start = System.nanoTime();
        ChatResponse response = model.chat(ChatRequest.builder()
                .messages(loop.window.messages())
                .toolSpecifications(tools.specifications())
                .maxOutputTokens(maxOutputTokens)
                .build());
        AiMessage answer = response.aiMessage();
        int input = inputTokens(response);
        int output = outputTokens(response);
        loop.inputTokens += input;
        loop.outputTokens += output;
        context.contextSegment(loop.window.addRecent(answer));
        List<String> calls = answer.hasToolExecutionRequests()
                ? answer.toolExecutionRequests().stream().map(ToolExecutionRequest::name).toList() : List.of();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("step", loop.step);
        event.put("provider", settings.provider().label());
        event.put("model", settings.model());
        event.put("inputTokens", input);
        event.put("outputTokens", output);
        event.put("taskTokens", loop.inputTokens + loop.outputTokens);
        event.put("contextTokens", contextTokens);
        event.put("toolCalls", calls);
        event.put("finishReason", response.finishReason() == null ? null : response.finishReason().name().toLowerCase(Locale.ROOT));
        event.put("ms", (System.nanoTime() - start) / 1_000_000);
        context.event("model_call", event);
        context.progress("step " + loop.step + ": " + (calls.isEmpty() ? "answer" : String.join(", ", calls)), -1);
        return answer;
    }

    private static void runTools(TaskContext context, Loop loop, ToolBox tools, List<ToolExecutionRequest> calls,
            LlmSettings settings) {
        // All of a round's results must fit the window beside the rest, however many calls the model made.
        int share = (int) (settings.contextTokens() * ROUND_RESULTS_SHARE * 4 / Math.max(1, calls.size()));
        for (ToolExecutionRequest call : calls) {
            if (context.cancelled()) {
                throw new CancellationException("the task was asked to stop");
            }
            long start = System.nanoTime();
            ToolBox.Outcome outcome = tools.execute(call, Math.max(400, share));
            loop.toolCalls++;
            context.contextSegment(loop.window.addRecent(ToolExecutionResultMessage.from(call, outcome.text())));
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("step", loop.step);
            event.put("id", call.id());
            event.put("tool", call.name());
            event.put("arguments", abbreviate(compact(call.arguments()), 500));
            event.put("ok", outcome.ok());
            event.put("resultChars", outcome.text().length());
            if (!outcome.ok()) {
                event.put("error", abbreviate(outcome.text(), 500));
            }
            event.put("ms", (System.nanoTime() - start) / 1_000_000);
            context.event("tool_call", event);
            context.checkpoint(loop.state());
        }
    }

    private void checkLimits(Loop loop, LlmSettings settings) throws LimitReachedException {
        if (loop.step >= settings.maxSteps()) {
            throw new LimitReachedException("step limit reached: " + loop.step + " model calls without an answer "
                    + "(MAYFLY_LLM_MAX_STEPS=" + settings.maxSteps() + ")");
        }
        long tokens = loop.inputTokens + loop.outputTokens;
        if (tokens >= settings.maxTokens()) {
            throw new LimitReachedException("token limit reached: " + tokens + " tokens used (MAYFLY_LLM_MAX_TOKENS="
                    + settings.maxTokens() + ")");
        }
        long elapsed = clock.millis() - loop.startedAtMs;
        if (elapsed >= settings.maxTime().toMillis()) {
            throw new LimitReachedException("time limit reached: " + elapsed / 1000 + " s since the task started "
                    + "(MAYFLY_LLM_MAX_TIME=" + settings.maxTime().toSeconds() + "s)");
        }
    }

    private static Map<String, Object> finish(TaskContext context, Loop loop, AiMessage answer, LlmSettings settings)
            throws IOException {
        String text = answer.text() == null ? "" : answer.text();
        Path file = context.outputDir().resolve("answer.md");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("answer", text);
        result.put("answerFile", file.toString());
        result.put("provider", settings.provider().label());
        result.put("model", settings.model());
        result.put("steps", loop.step);
        result.put("toolCalls", loop.toolCalls);
        result.put("inputTokens", loop.inputTokens);
        result.put("outputTokens", loop.outputTokens);
        result.put("compactions", loop.compactions);
        return result;
    }

    /** The input tokens the provider counted for a call; 0 when it reported none (some local servers). */
    static int inputTokens(ChatResponse response) {
        TokenUsage usage = response.tokenUsage();
        return usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
    }

    /** The output tokens the provider counted for a call; 0 when it reported none. */
    static int outputTokens(ChatResponse response) {
        TokenUsage usage = response.tokenUsage();
        return usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
    }

    /** Arguments on one line, however the provider's client wrote them (Anthropic's is pretty-printed). */
    private static String compact(String json) {
        try {
            return Json.write(Json.read(json));
        } catch (IOException | RuntimeException e) {
            return json;
        }
    }

    private static String abbreviate(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    /** Where the loop is: the window and the counters, all of it in each checkpoint. */
    private static final class Loop {
        final ContextWindow window;
        final long startedAtMs;
        int step;
        int toolCalls;
        long inputTokens;
        long outputTokens;
        int compactions;

        private Loop(ContextWindow window, long startedAtMs) {
            this.window = window;
            this.startedAtMs = startedAtMs;
        }

        static Loop start(TaskContext context, Workspace workspace, long now) {
            Loop loop = new Loop(new ContextWindow(), now);
            context.contextSegment(loop.window.addHead(SystemMessage.from(SYSTEM_PROMPT + "\nThe workspace is "
                    + workspace.root() + ".")));
            context.contextSegment(loop.window.addHead(UserMessage.from(context.prompt())));
            return loop;
        }

        @SuppressWarnings("unchecked")
        static Loop resume(Map<String, Object> state) {
            Loop loop = new Loop(ContextWindow.fromState((Map<String, Object>) state.get("window")),
                    ((Number) state.get("startedAtMs")).longValue());
            loop.step = ((Number) state.get("step")).intValue();
            loop.toolCalls = ((Number) state.get("toolCalls")).intValue();
            loop.inputTokens = ((Number) state.get("inputTokens")).longValue();
            loop.outputTokens = ((Number) state.get("outputTokens")).longValue();
            loop.compactions = ((Number) state.get("compactions")).intValue();
            return loop;
        }

        String state() {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("agent", "llm");
            state.put("startedAtMs", startedAtMs);
            state.put("step", step);
            state.put("toolCalls", toolCalls);
            state.put("inputTokens", inputTokens);
            state.put("outputTokens", outputTokens);
            state.put("compactions", compactions);
            state.put("window", window.toState());
            return Json.write(state);
        }
    }
}
