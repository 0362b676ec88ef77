package dev.mayfly.support;

import dev.mayfly.agent.AgentSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Python and Node programs the memory tests run (src/test/resources/programs), as command
 * agents: the program's text is passed with {@code -c} / {@code -e}, so it runs from a jar too.
 */
public final class TestPrograms {

    private TestPrograms() {}

    /** {@code python3 -c <programs/name> args…} */
    public static List<String> python(String name, Object... args) {
        return command("python3", "-c", name, args);
    }

    /** {@code node -e <programs/name> args…} */
    public static List<String> node(String name, Object... args) {
        return command("node", "-e", name, args);
    }

    /** Ends the process whose pid a program wrote to {@code pidFile}, if it did: a test's clean-up when it failed. */
    public static void endProcessIn(Path pidFile) throws IOException {
        if (pidFile != null && Files.exists(pidFile)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    public static AgentSpec agent(List<String> commandLine) {
        return AgentSpec.command(commandLine);
    }

    private static List<String> command(String interpreter, String flag, String name, Object... args) {
        List<String> line = new ArrayList<>(List.of(interpreter, flag, text(name)));
        for (Object arg : args) {
            line.add(String.valueOf(arg));
        }
        return line;
    }

    private static String text(String name) {
        try (InputStream in = TestPrograms.class.getResourceAsStream("/programs/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test program " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
