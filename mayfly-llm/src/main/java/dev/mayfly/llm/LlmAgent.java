package dev.mayfly.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.mayfly.api.Agent;
import dev.mayfly.api.TaskContext;
import dev.mayfly.llm.tools.ToolBox;
import dev.mayfly.llm.tools.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * The built-in {@code llm} agent: a tool loop. The model is asked what to do, its tool calls are
 * run in the task's workspace, their results go back, until it answers without a tool call.
 *
 * <p>Only a bounded window of the conversation is in memory ({@link ContextWindow}, compacted by
 * {@link Compactor}); every turn is also a context segment in the store. The agent checkpoints after
 * every model call and every tool call, so a rotation or a killed worker continues where it was and
 * never runs a completed tool call again. Every request to the model, answered or not, and every
 * tool call is an event of the task; the model's text and each step go to the task's log as they
 * happen.
 *
 * <p>A turn cut off at the output limit is never run or sent back: tool calls with cut arguments
 * would poison the conversation (a server refuses every later request that holds them), and a cut
 * answer is not an answer. The cut tool turn is dropped and the model told; a cut answer is kept
 * and continued. Three cut turns in a row fail the task with the setting to raise.
 */
public final class LlmAgent implements Agent {

    static final String SYSTEM_PROMPT = "You are a careful software engineer working through tools in a workspace "
            + "folder. Look before you change: list, read and search files first. Make the changes the task asks for "
            + "with write_file and edit_file, and check them with run_command when there is something to run. Paths "
            + "are relative to the workspace. When the task is done, answer with a short account of what you did and "
            + "found, without calling a tool.";

    /** The project's own rules for the agent, read from the workspace when no file is configured. */
    static final String DEFAULT_RULES_FILE = ".mayfly/agent.md";

    static final String CUT_TOOL_TURN_NOTE = "(Mayfly) Your last reply was cut off at the output limit of %d tokens "
            + "before its tool calls were complete, so none of them ran and the reply was dropped. Work in smaller "
            + "steps: fewer tool calls a turn, and write a large file in parts (write_file a first part, then add the "
            + "rest with edit_file).";
    static final String CUT_ANSWER_NOTE = "(Mayfly) Your answer was cut off at the output limit of %d tokens. "
            + "Continue it exactly where it stopped, without repeating what you wrote.";

    /** The tool results of one round may take at most this share of the context budget. */
    static final double ROUND_RESULTS_SHARE = 0.2;
    /** The head (system prompt, rules and task) may take at most this share of the budget. */
    static final double HEAD_SHARE = 0.25;
    /** A model turn may take at most this share of the budget. */
    static final double OUTPUT_SHARE = 0.125;
    /** This many turns in a row cut at the output limit end the task. */
    static final int MAX_CUT_TURNS = 3;
    /** After a server refused the window as too large without saying its size, the budget is this share of the request. */
    static final double SHRINK_SHARE = 0.75;

    private final Clock clock;
    private final Map<String, String> environment;
    private final Duration firstRetryWait;

    public LlmAgent() {
        this(Clock.systemUTC(), System.getenv(), Duration.ofSeconds(1));
    }

    LlmAgent(Clock clock, Map<String, String> environment) {
        this(clock, environment, Duration.ofSeconds(1));
    }

    /** @param firstRetryWait the wait before a failed request is sent again; it doubles each time */
    LlmAgent(Clock clock, Map<String, String> environment, Duration firstRetryWait) {
        this.clock = clock;
        this.environment = environment;
        this.firstRetryWait = firstRetryWait;
    }

    @Override
    public Object run(TaskContext context) throws Exception {
        LlmSettings settings = LlmSettings.read(environment, context.params());
        ModelClient client = ChatModels.create(settings, firstRetryWait, context::cancelled);
        Workspace workspace = new Workspace(context.workDir());
        ToolBox tools = ToolBox.forWorkspace(workspace, settings.commandTimeout(), hiddenVariables(), context);
        Loop loop;
        if (context.lastCheckpoint().isPresent()) {
            loop = Loop.resume(JsonValues.readObject(context.lastCheckpoint().get()), settings.contextTokens());
        } else {
            loop = Loop.start(context, workspace, rules(settings, workspace), clock.millis(), settings.contextTokens());
            fitToServer(context, loop, settings);
        }
        Turns turns = new Turns(context, loop, settings, client, tools);
        if (loop.window.headTokens() > turns.windowBudget() * HEAD_SHARE) {
            throw new IllegalArgumentException((loop.rules == null ? "the task's prompt takes"
                    : "the task's prompt and the rules in " + loop.rules + " take") + " about " + loop.window.headTokens()
                    + " tokens, more than a quarter of the " + turns.windowBudget() + " the context budget of "
                    + loop.budget + " leaves beside the tools; raise MAYFLY_LLM_CONTEXT_TOKENS (and the server's context)"
                    + " or shorten them");
        }
        while (true) {
            List<ToolExecutionRequest> pending = loop.window.unansweredToolCalls();
            if (!pending.isEmpty()) {
                turns.runTools(pending);
                continue;
            }
            checkLimits(loop, settings);
            turns.compactIfNeeded();
            AiMessage answer = turns.next();
            if (answer == null) {
                continue;
            }
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

    /** The project's rules: the configured file (which must exist), else {@value #DEFAULT_RULES_FILE} when there is one. */
    static Optional<Rules> rules(LlmSettings settings, Workspace workspace) throws IOException {
        String name = settings.rulesFile() != null ? settings.rulesFile() : DEFAULT_RULES_FILE;
        Path file = workspace.root().resolve(name);
        if (!Files.isRegularFile(file)) {
            if (settings.rulesFile() != null) {
                throw new IllegalArgumentException("MAYFLY_LLM_RULES_FILE: '" + settings.rulesFile() + "' is not a file"
                        + " (looked for " + file + "); give a file of rules for the agent, relative to the workspace");
            }
            return Optional.empty();
        }
        return Optional.of(new Rules(name, Files.readString(file, StandardCharsets.UTF_8)));
    }

    /** A project's rules for the agent, and the file they came from. */
    record Rules(String file, String text) {}

    /**
     * Asks a local server for its context size and keeps the budget within it: a budget larger than
     * the server's context fails half-way, when the window has grown past it.
     */
    private static void fitToServer(TaskContext context, Loop loop, LlmSettings settings) {
        if (settings.baseUrl() == null) {
            // A hosted provider's API: its models' contexts are far above any budget here.
            return;
        }
        Optional<ServerContext> server = ServerContext.probe(settings.baseUrl(), settings.model(), settings.apiKey());
        if (server.isEmpty()) {
            return;
        }
        int tokens = server.get().tokens();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("configured", settings.contextTokens());
        event.put("server", tokens);
        event.put("source", server.get().source());
        if (tokens < LlmSettings.MIN_CONTEXT_TOKENS) {
            throw new IllegalArgumentException("the model server's context is " + tokens + " tokens (" + server.get().source()
                    + "), less than the llm agent needs (" + LlmSettings.MIN_CONTEXT_TOKENS + "); give the server a larger "
                    + "context (llama.cpp: --ctx-size)");
        }
        if (tokens < loop.budget) {
            loop.budget = tokens;
            say("the server's context is " + tokens + " tokens (" + server.get().source() + "): the budget is "
                    + tokens + ", not MAYFLY_LLM_CONTEXT_TOKENS=" + settings.contextTokens());
        }
        event.put("budget", loop.budget);
        context.event("context_budget", event);
    }

    private void checkLimits(Loop loop, LlmSettings settings) throws LimitReachedException {
        if (loop.step >= settings.maxSteps()) {
            throw new LimitReachedException("step limit reached: " + loop.step + " model calls without an answer "
                    + "(MAYFLY_LLM_MAX_STEPS=" + settings.maxSteps() + ")");
        }
        long tokens = loop.inputTokens + loop.outputTokens;
        if (tokens >= settings.maxTokens()) {
            throw new LimitReachedException("token limit reached: " + tokens + " tokens used, cached input included "
                    + "(MAYFLY_LLM_MAX_TOKENS=" + settings.maxTokens() + ")");
        }
        long elapsed = clock.millis() - loop.startedAtMs;
        if (elapsed >= settings.maxTime().toMillis()) {
            throw new LimitReachedException("time limit reached: " + elapsed / 1000 + " s since the task started "
                    + "(MAYFLY_LLM_MAX_TIME=" + settings.maxTime().toSeconds() + "s)");
        }
    }

    private static Map<String, Object> finish(TaskContext context, Loop loop, AiMessage answer, LlmSettings settings)
            throws IOException {
        String text = loop.answerSoFar + (answer.text() == null ? "" : answer.text());
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

    /** A line in the task's log (what the agent prints goes there, in a worker and in-process alike). */
    static void say(String line) {
        System.out.println("[llm] " + line);
    }

    /** Arguments on one line, however the provider's client wrote them (Anthropic's is pretty-printed). */
    static String compact(String json) {
        try {
            return JsonValues.write(JsonValues.read(json));
        } catch (IOException | RuntimeException e) {
            return json;
        }
    }

    static String abbreviate(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    /** The turns of one run of the loop: model calls, tool calls and compactions, with their events and log lines. */
    private static final class Turns {
        private final TaskContext context;
        private final Loop loop;
        private final LlmSettings settings;
        private final ModelClient client;
        private final ToolBox tools;
        private final Compactor compactor;
        /** The tools' definitions, sent with every request, in tokens as the window estimates them. */
        private final long toolTokens;

        Turns(TaskContext context, Loop loop, LlmSettings settings, ModelClient client, ToolBox tools) {
            this.context = context;
            this.loop = loop;
            this.settings = settings;
            this.client = client;
            this.tools = tools;
            this.compactor = new Compactor(client);
            this.toolTokens = ContextWindow.estimateTools(tools.specifications());
        }

        /** What the conversation may take of the budget: the tools' definitions go with every request. */
        long windowBudget() {
            return Math.max(0, loop.budget - toolTokens);
        }

        /** The most a model turn may write: the setting, within an eighth of the budget. */
        int maxOutputTokens() {
            return (int) Math.min(settings.maxOutputTokens(), loop.budget * OUTPUT_SHARE);
        }

        void compactIfNeeded() {
            if (!Compactor.needed(loop.window, windowBudget())) {
                return;
            }
            Compactor.Result compacted = compactor.compact(loop.window, windowBudget(), failures("summary"));
            if (compacted != null) {
                loop.compactions++;
                loop.inputTokens += compacted.inputTokens();
                loop.outputTokens += compacted.outputTokens();
                context.contextSegment(compacted.segment());
                context.event("context_compacted", compacted.event());
                say("step " + loop.step + ": context compacted, " + compacted.turns() + " turns into a summary ("
                        + compacted.tokensBefore() + " -> " + compacted.tokensAfter() + " tokens)");
            }
        }

        /**
         * Calls the model for the next turn and keeps it; null when the turn was cut at the output
         * limit and dropped (the loop asks again).
         */
        AiMessage next() throws LimitReachedException {
            if (context.cancelled()) {
                throw new CancellationException("the task was asked to stop");
            }
            loop.step++;
            ChatResponse response;
            try {
                response = call();
            } catch (ModelServerException e) {
                if (e.failure().kind() != ModelFailure.Kind.CONTEXT_EXCEEDED) {
                    throw e;
                }
                shrink(e.failure());
                response = call();
            }
            return keep(response);
        }

        private ChatResponse call() {
            long start = System.nanoTime();
            long contextTokens = loop.window.tokens() + toolTokens;
            LiveText live = new LiveText(loop.step);
            ChatResponse response;
            try {
                response = client.chat(ChatRequest.builder()
                        .messages(loop.window.messages())
                        .toolSpecifications(tools.specifications())
                        .maxOutputTokens(maxOutputTokens())
                        .build(), live, live.before(failures("turn")));
                live.showAll(response);
            } finally {
                live.endLine();
            }
            TokenCount tokens = TokenCount.of(response);
            loop.inputTokens += tokens.input();
            loop.outputTokens += tokens.output();
            AiMessage answer = response.aiMessage();
            Map<String, Object> event = request("turn");
            event.put("outcome", cut(response) ? "cut" : "ok");
            tokens.addTo(event);
            event.put("taskTokens", loop.inputTokens + loop.outputTokens);
            event.put("contextTokens", contextTokens);
            event.put("toolCalls", answer.hasToolExecutionRequests()
                    ? answer.toolExecutionRequests().stream().map(ToolExecutionRequest::name).toList() : List.of());
            event.put("finishReason", response.finishReason() == null ? null
                    : response.finishReason().name().toLowerCase(Locale.ROOT));
            event.put("ms", (System.nanoTime() - start) / 1_000_000);
            context.event("model_call", event);
            say("step " + loop.step + ": " + event.get("outcome") + ", " + tokens.input() + " tokens in, "
                    + tokens.output() + " out, " + event.get("ms") + " ms");
            return response;
        }

        /** Whether the turn was cut: the output limit was reached, or a tool call's arguments are not a JSON object. */
        private static boolean cut(ChatResponse response) {
            if (response.finishReason() == FinishReason.LENGTH) {
                return true;
            }
            AiMessage answer = response.aiMessage();
            return answer.hasToolExecutionRequests()
                    && answer.toolExecutionRequests().stream().anyMatch(call -> !isJsonObject(call.arguments()));
        }

        private static boolean isJsonObject(String arguments) {
            if (arguments == null || arguments.isBlank()) {
                // No arguments at all is how some servers send a call of a tool that takes none.
                return true;
            }
            try {
                JsonValues.readObject(arguments);
                return true;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        /** Keeps a whole turn; a cut one is dropped (tool calls) or kept to be continued (an answer). */
        private AiMessage keep(ChatResponse response) throws LimitReachedException {
            AiMessage answer = response.aiMessage();
            if (!cut(response)) {
                loop.cutTurns = 0;
                if (answer.hasToolExecutionRequests()) {
                    loop.answerSoFar = "";
                }
                context.contextSegment(loop.window.addRecent(answer));
                progress(answer);
                return answer;
            }
            loop.cutTurns++;
            if (loop.cutTurns >= MAX_CUT_TURNS) {
                int limit = maxOutputTokens();
                throw new LimitReachedException("the model's turns were cut off at the output limit " + loop.cutTurns
                        + " times in a row (" + limit + " tokens a turn): raise " + (limit < settings.maxOutputTokens()
                                ? "MAYFLY_LLM_CONTEXT_TOKENS (a turn may take an eighth of it, now " + loop.budget + ")"
                                : "MAYFLY_LLM_MAX_OUTPUT_TOKENS (now " + settings.maxOutputTokens() + ")"));
            }
            if (answer.hasToolExecutionRequests()) {
                say("step " + loop.step + ": the turn was cut off at the output limit (" + maxOutputTokens()
                        + " tokens) inside its tool calls; dropped, and the model told");
                context.contextSegment(loop.window.addRecent(UserMessage.from(String.format(Locale.ROOT,
                        CUT_TOOL_TURN_NOTE, maxOutputTokens()))));
            } else {
                say("step " + loop.step + ": the answer was cut off at the output limit (" + maxOutputTokens()
                        + " tokens); asking the model to continue it");
                loop.answerSoFar += answer.text() == null ? "" : answer.text();
                context.contextSegment(loop.window.addRecent(answer));
                context.contextSegment(loop.window.addRecent(UserMessage.from(String.format(Locale.ROOT,
                        CUT_ANSWER_NOTE, maxOutputTokens()))));
            }
            context.progress("step " + loop.step + ": cut off at the output limit", -1);
            context.checkpoint(loop.state());
            return null;
        }

        private void progress(AiMessage answer) {
            List<String> calls = answer.hasToolExecutionRequests()
                    ? answer.toolExecutionRequests().stream().map(ToolExecutionRequest::name).toList() : List.of();
            context.progress("step " + loop.step + ": " + (calls.isEmpty() ? "answer" : String.join(", ", calls)), -1);
        }

        /**
         * The server refused the window as larger than its context: the budget becomes the context
         * it named (or three quarters of what was sent), the window is compacted to it, and the
         * call is made once more.
         */
        private void shrink(ModelFailure failure) {
            long sent = loop.window.tokens() + toolTokens;
            long from = loop.budget;
            Integer serverSaid = failure.contextSize();
            long to = serverSaid != null ? Math.min(from, serverSaid) : (long) (Math.min(from, sent) * SHRINK_SHARE);
            if (to < LlmSettings.MIN_CONTEXT_TOKENS) {
                throw new IllegalStateException("the model server's context is too small for the llm agent: it refused "
                        + "a request of about " + sent + " tokens (" + failure.serverMessage() + "); give it a context of "
                        + "at least " + LlmSettings.MIN_CONTEXT_TOKENS + " tokens (llama.cpp: --ctx-size)");
            }
            loop.budget = (int) to;
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("step", loop.step);
            event.put("from", from);
            event.put("to", to);
            event.put("sentTokens", sent);
            event.put("serverContext", serverSaid);
            event.put("serverMessage", failure.serverMessage());
            context.event("context_shrunk", event);
            say("step " + loop.step + ": the server refused " + sent + " tokens as more than its context ("
                    + failure.serverMessage() + "); budget " + from + " -> " + to + " tokens, compacting and asking again");
            compactIfNeeded();
        }

        void runTools(List<ToolExecutionRequest> calls) {
            // All of a round's results must fit the window beside the rest, however many calls the model made.
            int share = (int) (windowBudget() * ROUND_RESULTS_SHARE * 4 / Math.max(1, calls.size()));
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
                say("step " + loop.step + ": " + call.name() + " " + abbreviate(compact(call.arguments()), 200) + " -> "
                        + (outcome.ok() ? "ok, " + outcome.text().length() + " characters" : abbreviate(outcome.text(), 200)));
                context.checkpoint(loop.state());
            }
        }

        /** The start of a model_call event: which request of the task it was. */
        private Map<String, Object> request(String purpose) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("step", loop.step);
            event.put("purpose", purpose);
            event.put("provider", settings.provider().label());
            event.put("model", settings.model());
            return event;
        }

        /** Each failed request is a model_call event too, and a line in the log with what happens next. */
        private ModelClient.Failures failures(String purpose) {
            return (attempt, failure, ms, retryIn) -> {
                Map<String, Object> event = request(purpose);
                event.put("outcome", retryIn != null ? "retried" : "failed");
                event.put("attempt", attempt);
                event.put("error", failure.code());
                event.put("message", failure.what());
                event.put("ms", ms);
                if (retryIn != null) {
                    event.put("retryInMs", retryIn.toMillis());
                }
                context.event("model_call", event);
                say("step " + loop.step + ": " + purpose + " request " + attempt + " to " + client.address() + " "
                        + failure.what() + (retryIn != null ? "; trying again in " + ModelClient.seconds(retryIn.toMillis())
                                : failure.retried() ? "; no attempts left" : "; not retried: a retry would get the same answer"));
            };
        }
    }

    /** The model's text as it arrives (streamed) or at once (not), in the task's log. */
    private static final class LiveText implements java.util.function.Consumer<String> {
        private final int step;
        private boolean shown;

        LiveText(int step) {
            this.step = step;
        }

        @Override
        public void accept(String piece) {
            if (!shown) {
                System.out.print("[llm] step " + step + ": model says: ");
                shown = true;
            }
            System.out.print(piece);
            System.out.flush();
        }

        /** A client that did not stream shows the whole text now. */
        void showAll(ChatResponse response) {
            String text = response.aiMessage().text();
            if (!shown && text != null && !text.isBlank()) {
                accept(text);
            }
        }

        /** Ends the line of text, however the request ended; text of a later attempt starts a line of its own. */
        void endLine() {
            if (shown) {
                System.out.println();
                shown = false;
            }
        }

        /** {@code failures}, told after the line of a failed attempt's text has ended. */
        ModelClient.Failures before(ModelClient.Failures failures) {
            return (attempt, failure, ms, retryIn) -> {
                endLine();
                failures.failed(attempt, failure, ms, retryIn);
            };
        }
    }

    /** Where the loop is: the window and the counters, all of it in each checkpoint. */
    private static final class Loop {
        final ContextWindow window;
        final long startedAtMs;
        final String rules;
        /** The context budget in tokens: the setting, or less when the server's context is smaller. */
        int budget;
        int step;
        int toolCalls;
        long inputTokens;
        long outputTokens;
        int compactions;
        int cutTurns;
        /** The parts of an answer that were cut at the output limit and are being continued. */
        String answerSoFar = "";

        private Loop(ContextWindow window, long startedAtMs, String rules, int budget) {
            this.window = window;
            this.startedAtMs = startedAtMs;
            this.rules = rules;
            this.budget = budget;
        }

        static Loop start(TaskContext context, Workspace workspace, Optional<Rules> rules, long now, int budget) {
            Loop loop = new Loop(new ContextWindow(), now, rules.map(Rules::file).orElse(null), budget);
            context.contextSegment(loop.window.addHead(SystemMessage.from(SYSTEM_PROMPT + "\nThe workspace is "
                    + workspace.root() + ".")));
            rules.ifPresent(found -> context.contextSegment(loop.window.addHead(SystemMessage.from(
                    "The project's rules for you, from " + found.file() + ":\n" + found.text()))));
            context.contextSegment(loop.window.addHead(UserMessage.from(context.prompt())));
            return loop;
        }

        @SuppressWarnings("unchecked")
        static Loop resume(Map<String, Object> state, int configuredBudget) {
            Loop loop = new Loop(ContextWindow.fromState((Map<String, Object>) state.get("window")),
                    ((Number) state.get("startedAtMs")).longValue(), (String) state.get("rules"),
                    state.get("budget") instanceof Number ? ((Number) state.get("budget")).intValue() : configuredBudget);
            loop.step = ((Number) state.get("step")).intValue();
            loop.toolCalls = ((Number) state.get("toolCalls")).intValue();
            loop.inputTokens = ((Number) state.get("inputTokens")).longValue();
            loop.outputTokens = ((Number) state.get("outputTokens")).longValue();
            loop.compactions = ((Number) state.get("compactions")).intValue();
            loop.cutTurns = state.get("cutTurns") instanceof Number ? ((Number) state.get("cutTurns")).intValue() : 0;
            loop.answerSoFar = state.get("answerSoFar") instanceof String ? (String) state.get("answerSoFar") : "";
            return loop;
        }

        String state() {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("agent", "llm");
            state.put("startedAtMs", startedAtMs);
            state.put("rules", rules);
            state.put("budget", budget);
            state.put("step", step);
            state.put("toolCalls", toolCalls);
            state.put("inputTokens", inputTokens);
            state.put("outputTokens", outputTokens);
            state.put("compactions", compactions);
            state.put("cutTurns", cutTurns);
            state.put("answerSoFar", answerSoFar);
            state.put("window", window.toState());
            return JsonValues.write(state);
        }
    }
}
