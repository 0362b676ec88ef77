package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every setting is checked where it enters: one line naming it, exit status 2, nothing written. */
class BadInputTest {

    @TempDir
    Path workDir;

    static Stream<Arguments> cases() {
        String probe = "--agent=probe";
        return Stream.of(
                Arguments.of("USE_WORKERS=yes", new String[] {"run", "--prompt", "x", probe},
                        "mayfly: invalid USE_WORKERS 'yes': expected true or false (case-insensitive), or unset for false"),
                Arguments.of("MAYFLY_HEAP_MB=abc", new String[] {"run", "--prompt", "x", probe},
                        "mayfly: invalid MAYFLY_HEAP_MB 'abc': expected a whole number of megabytes from 16 to 1048576"),
                Arguments.of("", new String[] {"run", "--prompt", "x", probe, "--heap-mb", "0"},
                        "mayfly: invalid --heap-mb '0': expected a whole number of megabytes from 16 to 1048576"),
                Arguments.of("", new String[] {"run", "--prompt", "x", probe, "--timeout", "10x"},
                        "mayfly: invalid --timeout '10x': expected a duration such as 500ms, 30s, 10m or 2h"),
                Arguments.of("MAYFLY_TIMEOUT=-5", new String[] {"run", "--prompt", "x", probe},
                        "mayfly: invalid MAYFLY_TIMEOUT '-5': expected a duration"),
                Arguments.of("MAYFLY_MAX_WORKERS=0", new String[] {"run", "--prompt", "x", probe},
                        "mayfly: invalid MAYFLY_MAX_WORKERS '0': expected a whole number from 1 to 256"),
                Arguments.of("MAYFLY_MEMORY_REPORT_INTERVAL=10ms", new String[] {"run", "--prompt", "x", probe},
                        "mayfly: invalid MAYFLY_MEMORY_REPORT_INTERVAL '10ms': expected a duration"),
                Arguments.of("MAYFLY_QUEUE_CAPACITY=many", new String[] {"validate"},
                        "mayfly: invalid MAYFLY_QUEUE_CAPACITY 'many': expected a whole number from 1 to 1000000"),
                Arguments.of("", new String[] {"run", "--prompt", "x", probe, "--complexity", "huge"},
                        "mayfly: invalid --complexity 'huge': expected low, medium, high, or a number from 0 to 1"),
                Arguments.of("", new String[] {"run", "--prompt", "x", "--agent", "gpt"},
                        "mayfly: invalid --agent 'gpt': expected java:CLASS"),
                Arguments.of("", new String[] {"run", "--prompt", "x", "--agent", "java:com.example.Missing",
                        "--classpath", "."}, "mayfly: agent java:com.example.Missing: agent class com.example.Missing not found"),
                Arguments.of("", new String[] {"run", "--prompt", "x", "--agent", "java:com.example.A",
                        "--classpath", "/no/such/dir"}, "mayfly: agent java:com.example.A: classpath entry /no/such/dir does not exist"),
                Arguments.of("", new String[] {"run", "--prompt", "x"}, "mayfly: no agent named: pass --agent"),
                Arguments.of("", new String[] {"run", "--prompt", "x", "--", "no-such-program-mayfly"},
                        "mayfly: agent command:no-such-program-mayfly: program 'no-such-program-mayfly' not found on PATH"),
                Arguments.of("", new String[] {"run", "--prompt", "x", probe, "--param", "novalue"},
                        "mayfly: invalid --param 'novalue': expected KEY=VALUE with a non-empty KEY"),
                Arguments.of("", new String[] {"run", "--prompt", "x", probe, "--log-format", "xml"},
                        "mayfly: invalid --log-format 'xml': expected text or json"),
                Arguments.of("MAYFLY_AGENT=command:claude 'oops", new String[] {"run", "--prompt", "x"},
                        "mayfly: invalid MAYFLY_AGENT 'command:claude 'oops': expected a command line with its quotes closed"),
                Arguments.of("", new String[] {"run", "--prompt", "x", probe, "--workdir", "/no/such/dir"},
                        "mayfly: invalid --workdir '/no/such/dir': expected an existing folder"),
                Arguments.of("MAYFLY_PROFILE=fast", new String[] {"run", "--prompt", "x", probe},
                        "mayfly: invalid MAYFLY_PROFILE 'fast': expected default or production"),
                Arguments.of("", new String[] {"run", "--prompt", "x", probe, "--resume-with", "claude-code"},
                        "mayfly: --resume-with applies to command agents, which keep their own session; probe is not one"),
                Arguments.of("", new String[] {"run", "--prompt", "x", "--resume-with", "claude-code", "--", "sh", "-c", "true"},
                        "mayfly: invalid --resume-with 'claude-code': expected a preset for the agent's own program ('sh' is "
                                + "not claude), or the command line that continues its session"),
                Arguments.of("", new String[] {"run", "--prompt", "x", "--resume-with", "sh -c 'oops", "--", "sh"},
                        "mayfly: invalid --resume-with 'sh -c 'oops': expected a command line with its quotes closed"),
                Arguments.of("MAYFLY_AGENT=command:sh -c true\nMAYFLY_RESUME_WITH=aider", new String[] {"run", "--prompt", "x"},
                        "mayfly: invalid MAYFLY_RESUME_WITH 'aider': expected a preset for the agent's own program"),
                Arguments.of("MAYFLY_ROTATE_FORCE_PERCENT=50", new String[] {"run", "--prompt", "x", probe},
                        "mayfly: invalid MAYFLY_ROTATE_FORCE_PERCENT '50': expected a number of percent from "
                                + "MAYFLY_ROTATE_PERCENT (70) to 100"),
                Arguments.of("MAYFLY_CONTINUE_PROMPT= ", new String[] {"run", "--prompt", "x", probe},
                        "mayfly: invalid MAYFLY_CONTINUE_PROMPT ' ': expected the text a resumed agent is told, not blank"),
                Arguments.of("", new String[] {"batch", "no-such-file.jsonl"},
                        "mayfly: invalid FILE 'no-such-file.jsonl': expected an existing batch file"),
                Arguments.of("", new String[] {"status", "--limit", "0"},
                        "mayfly: invalid --limit '0': expected a whole number from 1 to 100000"),
                Arguments.of("", new String[] {"run", probe}, "mayfly: give the task's prompt: --prompt TEXT, --prompt - "
                        + "(read from standard input) or --prompt-file FILE"),
                Arguments.of("", new String[] {"run", "--prompt", " \t", probe},
                        "mayfly: --prompt is empty; give the task's prompt (what it is to do)"),
                Arguments.of("", new String[] {"run", "--prompt", "x", "--prompt-file", "x.md", probe},
                        "mayfly: give --prompt or --prompt-file, not both"),
                Arguments.of("", new String[] {"run", "--prompt-file", "no-such.md", probe},
                        "mayfly: cannot read --prompt-file no-such.md: no such file"),
                Arguments.of("", new String[] {"run", "--prompt-file", ".", probe},
                        "mayfly: --prompt-file . is a folder; give a file holding the prompt"),
                Arguments.of("MAYFLY_HOME=/etc/passwd", new String[] {"status"}, "mayfly: MAYFLY_HOME /etc/passwd is a "
                        + "file, not a folder; give a folder (it is created when missing)"),
                Arguments.of("MAYFLY_HOME=/etc/passwd", new String[] {"run", "--prompt", "x", "--", "echo", "hi"},
                        "mayfly: MAYFLY_HOME /etc/passwd is a file, not a folder"),
                Arguments.of("", new String[] {"status", "--home", "/etc/passwd/mayfly"},
                        "mayfly: --home /etc/passwd/mayfly cannot be a folder: /etc/passwd is a file"),
                Arguments.of("", new String[] {"run", "--prompt", "x", "--stream", "--json", "--", "echo", "hi"},
                        "mayfly: give --stream or --json, not both: each one is Mayfly's standard output"),
                Arguments.of("", new String[] {"run", "--prompt", "x", "--stream", probe},
                        "mayfly: --stream copies a command's standard output, and the agent probe is not a command"),
                Arguments.of("MAYFLY_TASK_LOG_MAX_MB=0", new String[] {"run", "--prompt", "x", probe},
                        "mayfly: invalid MAYFLY_TASK_LOG_MAX_MB '0': expected a whole number of megabytes from 1 to 1048576"),
                Arguments.of("MAYFLY_DISK_RESERVE_MB=lots", new String[] {"run", "--prompt", "x", probe},
                        "mayfly: invalid MAYFLY_DISK_RESERVE_MB 'lots': expected a whole number of megabytes, 0 or more"),
                Arguments.of("", new String[] {"workflows", "check", "nope.yaml"},
                        "mayfly: cannot read the workflow file nope.yaml: no such file"),
                Arguments.of("", new String[] {"workflows", "check", "."},
                        "mayfly: cannot read the workflow file .: is a directory"),
                Arguments.of("MAYFLY_LLM_BASE_URL=http://127.0.0.1:9/v1", new String[] {"run", "--prompt", "x", "--agent", "llm"},
                        "mayfly: the llm agent needs a model: set MAYFLY_LLM_MODEL or --param llm.model="),
                Arguments.of("MAYFLY_LLM_MODEL=m", new String[] {"run", "--prompt", "x", "--agent", "llm", "--param",
                        "llm.base_url=http://127.0.0.1:9/v1", "--param", "llm.provider=gemini"},
                        "mayfly: --param llm.provider: 'gemini' is not accepted; use openai"),
                Arguments.of("MAYFLY_LLM_BASE_URL=localhost:9", new String[] {"run", "--prompt", "x", "--agent", "llm",
                        "--param", "llm.model=m"}, "mayfly: MAYFLY_LLM_BASE_URL: 'localhost:9' is not accepted"),
                Arguments.of("", new String[] {"run", "--prompt", "x", probe, "--frobnicate"},
                        "mayfly: Unknown option: '--frobnicate'"),
                Arguments.of("", new String[] {"run", "--promt", "x", "--", "echo", "hi"},
                        "mayfly: Unknown option: '--promt'; did you mean '--prompt'?"),
                Arguments.of("", new String[] {"status", "--limt", "3"},
                        "mayfly: Unknown option: '--limt'; did you mean '--limit'?"),
                Arguments.of("", new String[] {"run", "--prompt", "x", probe, "--memory-mb", "10"},
                        "mayfly: invalid --memory-mb '10': expected a whole number of megabytes from 32 to "),
                Arguments.of("", new String[] {"run", "--prompt", "x", probe, "--memory-mb", "99999999"},
                        "mayfly: invalid --memory-mb '99999999': expected a whole number of megabytes from 32 to "),
                Arguments.of("MAYFLY_MEMORY_MB=lots", new String[] {"run", "--prompt", "x", probe},
                        "mayfly: invalid MAYFLY_MEMORY_MB 'lots': expected a whole number of megabytes from 32 to "),
                Arguments.of("", new String[] {"run", "--prompt", "x", probe, "--retries", "-1"},
                        "mayfly: invalid --retries '-1': expected a whole number from 0 to 20"),
                Arguments.of("MAYFLY_RETRY_DELAY=0", new String[] {"run", "--prompt", "x", probe},
                        "mayfly: invalid MAYFLY_RETRY_DELAY '0': expected a duration"),
                Arguments.of("MAYFLY_MEMORY_ENFORCEMENT=cgroup", new String[] {"run", "--prompt", "x", probe},
                        "mayfly: invalid MAYFLY_MEMORY_ENFORCEMENT 'cgroup': expected auto or watched (cgroup needs a "
                                + "delegated cgroup v2; cgroup v2 is not delegated here"),
                Arguments.of("MAYFLY_HOST_FLOOR_MB=999999", new String[] {"validate"},
                        "mayfly: invalid MAYFLY_HOST_FLOOR_MB '999999': expected a whole number of megabytes from 0 to the "
                                + "reserve"));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("cases")
    void a_bad_value_exits_2_with_one_line_and_writes_nothing(String variable, String[] args, String message)
            throws Exception {
        Map<String, String> environment = new HashMap<>();
        // One variable, or several on lines of their own.
        for (String assignment : variable.isEmpty() ? new String[0] : variable.split("\n")) {
            environment.put(assignment.substring(0, assignment.indexOf('=')), assignment.substring(assignment.indexOf('=') + 1));
        }

        MayflyProcess.Result result = MayflyProcess.run(workDir, environment, args);

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.stderr().lines().findFirst().orElse("")).startsWith(message);
        assertThat(result.stdout()).isEmpty();
        assertThat(Files.exists(workDir.resolve(".mayfly"))).as("nothing may be written").isFalse();
    }
}
