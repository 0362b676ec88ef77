package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.api.Agent;
import dev.mayfly.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A user's own agent as a plug-in: a jar built here from source, holding an AgentProvider and its
 * service list, put on MAYFLY_CLASSPATH, and named like a built-in agent.
 */
class AgentPluginProcessTest {

    /** The provider of docs/agents.md's example, word for word apart from the name it is given. */
    private static final String PROVIDER = """
            package com.example.greeter;

            import dev.mayfly.api.Agent;
            import dev.mayfly.api.AgentEvent;
            import dev.mayfly.api.AgentProvider;
            import java.util.List;
            import java.util.Map;

            public final class GreeterProvider implements AgentProvider {
                @Override public String name() { return "NAME"; }
                @Override public String description() { return "a greeting from a plug-in"; }
                @Override public Agent create() {
                    return context -> {
                        context.event("greeted", Map.of("who", context.prompt()));
                        return "Hello from pid " + ProcessHandle.current().pid() + ": " + context.prompt();
                    };
                }
                @Override public String recognize(String prompt) {
                    return prompt.toLowerCase().contains("greet me") ? "greet me" : null;
                }
                @Override public Map<String, String> status(List<AgentEvent> events) {
                    long greetings = events.stream().filter(event -> event.type().equals("greeted")).count();
                    return Map.of("greetings", greetings + " greeting(s)");
                }
            }
            """;

    @TempDir
    Path workDir;

    @ParameterizedTest
    @ValueSource(strings = {"--workers", "--no-workers"})
    void an_agent_named_by_its_provider_runs_and_says_what_it_did(String where) throws Exception {
        Map<String, String> environment = Map.of("MAYFLY_CLASSPATH", agentJar("greeter").toString());

        MayflyProcess.Result run = MayflyProcess.run(workDir, environment, "run", "--json", where, "--heap-mb", "64",
                "--agent", "greeter", "--prompt", "Implement a greeting");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCodes.OK);
        Map<String, Object> json = Json.readObject(run.stdout().trim());
        assertThat(json).containsEntry("status", "completed")
                .containsEntry("mode", where.equals("--workers") ? "worker" : "in-process");
        assertThat(json.get("result").toString()).startsWith("Hello from pid ").endsWith(": Implement a greeting");
        MayflyProcess.Result status = MayflyProcess.run(workDir, environment, "status", json.get("taskId").toString());
        assertThat(status.stdout()).as(status.stderr()).contains("greetings: 1 greeting(s)").contains("greeter");
    }

    @Test
    void a_prompt_the_provider_recognises_goes_to_its_agent_when_none_is_named() throws Exception {
        Map<String, String> environment = Map.of("MAYFLY_CLASSPATH", agentJar("greeter").toString());

        MayflyProcess.Result run = MayflyProcess.run(workDir, environment, "run", "--no-workers", "--prompt",
                "Please greet me");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCodes.OK);
        assertThat(run.stderr()).contains("Agent: greeter, a greeting from a plug-in (the prompt says 'greet me')");
        assertThat(run.stdout()).contains("Hello from pid");
    }

    @Test
    void an_agent_that_is_not_installed_is_refused_listing_those_that_are() throws Exception {
        Map<String, String> environment = Map.of("MAYFLY_CLASSPATH", agentJar("greeter").toString());

        MayflyProcess.Result run = MayflyProcess.run(workDir, environment, "run", "--agent", "greeting",
                "--prompt", "Implement a greeting");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr().strip()).isEqualTo("mayfly: invalid --agent 'greeting': expected java:CLASS (with "
                + "--classpath or MAYFLY_CLASSPATH), command:PROGRAM ARGS, or a named agent (analyze, greeter, llm, probe)");
        assertThat(workDir.resolve(".mayfly/workers.db")).doesNotExist();
    }

    @Test
    void a_provider_whose_name_is_not_a_word_is_refused_in_one_line_and_nothing_is_stored() throws Exception {
        Map<String, String> environment = Map.of("MAYFLY_CLASSPATH", agentJar("Greeter!").toString());

        MayflyProcess.Result run = MayflyProcess.run(workDir, environment, "run", "--agent", "probe",
                "--prompt", "Implement a greeting");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr().strip()).startsWith("mayfly: agent provider com.example.greeter.GreeterProvider names its "
                + "agent 'Greeter!': expected lower-case letters, digits and dashes, starting with a letter (MAYFLY_CLASSPATH")
                .doesNotContain("\n");
        assertThat(workDir.resolve(".mayfly/workers.db")).doesNotExist();
    }

    @Test
    void two_providers_of_one_name_or_a_service_list_naming_a_missing_class_are_refused_in_one_line() throws Exception {
        Path first = agentJar("greeter", "GreeterProvider", "greeter", "com.example.greeter.GreeterProvider");
        Path second = agentJar("other", "OtherGreeterProvider", "greeter", "com.example.greeter.OtherGreeterProvider");
        Path broken = agentJar("broken", "BrokenProvider", "broken", "com.example.greeter.NotInTheJar");

        MayflyProcess.Result twice = MayflyProcess.run(workDir, Map.of("MAYFLY_CLASSPATH", first + ":" + second),
                "run", "--agent", "greeter", "--prompt", "Implement a greeting");
        MayflyProcess.Result missing = MayflyProcess.run(workDir, Map.of("MAYFLY_CLASSPATH", broken.toString()),
                "run", "--agent", "probe", "--prompt", "Implement a greeting");

        assertThat(twice.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(twice.stderr().strip()).startsWith("mayfly: two agent providers name their agent 'greeter': "
                + "com.example.greeter.GreeterProvider and com.example.greeter.OtherGreeterProvider").doesNotContain("\n");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.stderr().strip()).startsWith("mayfly: an agent provider cannot be loaded: ")
                .contains("com.example.greeter.NotInTheJar").doesNotContain("\n");
        assertThat(workDir.resolve(".mayfly/workers.db")).doesNotExist();
    }

    /** Compiles the provider against Mayfly's API and packs it with its service list. */
    private Path agentJar(String name) throws IOException {
        return agentJar("greeter", "GreeterProvider", name, "com.example.greeter.GreeterProvider");
    }

    /**
     * @param className the provider's class, in package com.example.greeter
     * @param serviceLine what the jar's service list names
     */
    private Path agentJar(String jarName, String className, String agentName, String serviceLine) throws IOException {
        Path sources = Files.createDirectories(workDir.resolve(jarName + "-src/com/example/greeter"));
        Path source = Files.writeString(sources.resolve(className + ".java"),
                PROVIDER.replace("NAME", agentName).replace("GreeterProvider", className));
        Path classes = Files.createDirectories(workDir.resolve(jarName + "-classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String api = Path.of(codeSource(Agent.class)).toString();
        int status = javac.run(null, null, null, "-d", classes.toString(), "-cp", api, source.toString());
        assertThat(status).as("the example provider compiles").isZero();
        Path jar = workDir.resolve(jarName + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            add(out, "META-INF/services/dev.mayfly.api.AgentProvider", (serviceLine + "\n").getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    add(out, classes.relativize(file).toString(), Files.readAllBytes(file));
                }
            }
        }
        return jar;
    }

    private static void add(JarOutputStream out, String entry, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(entry));
        out.write(bytes);
        out.closeEntry();
    }

    private static URI codeSource(Class<?> type) {
        try {
            return type.getProtectionDomain().getCodeSource().getLocation().toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
