package dev.mayfly.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.agent.RunningTask;
import dev.mayfly.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analysis of a small tree whose every number is known. */
class AnalyzeAgentTest {

    @TempDir
    Path tree;

    @TempDir
    Path output;

    private static final String MAIN_JAVA = String.join("\n",
            "package x;",                                   // code
            "",                                             // blank
            "/* a block",                                   // comment
            " * comment */",                                // comment
            "public class Main {",                          // code
            "    // a line comment",                        // comment
            "    String s = \"// not a comment\"; // tail",  // code
            "    void run() {",                             // code, a function from here
            "        int a = 1;",                           // code
            "        // TODO make it count",                // comment, marker
            "    }",                                        // code, to here (8-11)
            "}") + "\n";                                    // code

    private static final String TOOL_PY = String.join("\n",
            "# a tool",                                     // comment
            "import os",                                    // code
            "",                                             // blank
            "def main():",                                  // code, a function from here
            "    x = 1  # FIXME later",                     // code, marker
            "    return x",                                 // code, to here (4-6)
            "",                                             // blank
            "print(main())") + "\n";                        // code

    /** Seven significant lines, with a blank and a lone brace inside that do not count (eight code lines). */
    private static final String SHARED = String.join("\n",
            "int alpha = compute(1);", "int beta = compute(2);", "", "int gamma = alpha + beta;", "{",
            "log(alpha);", "log(beta);", "log(gamma);", "store(alpha, beta, gamma);") + "\n";

    @BeforeEach
    void makeTree() throws IOException {
        write("src/Main.java", MAIN_JAVA);
        write("tool.py", TOOL_PY);
        write("a/First.java", "class First {\n" + SHARED + "}\n");
        write("b/deep/Second.java", "// copy\nclass Second {\n" + SHARED + "}\n");
        write("long.js", "var x = '" + "y".repeat(5000) + "';\n");
        write("bin/start", "#!/usr/bin/env bash\n# start it\necho \"# not a comment\"\n");
        write(".gitignore", "ignored/\n*.gen.java\n!keep.gen.java\n");
        write("ignored/Big.java", "class Big {}\n");
        write("src/skip.gen.java", "class Skip {}\n");
        write("src/keep.gen.java", "class Keep {}\n");
        write("target/Out.java", "class Out {}\n");
        write("node_modules/lib/index.js", "module.exports = 1;\n");
        write("notes.unknownext", "what is this\n");
        Files.write(tree.resolve("picture.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0});
        Files.write(tree.resolve("data.txt"), new byte[] {'a', 'b', 0, 'c', '\n'});
        Files.createDirectories(tree.resolve(".git"));
        write(".git/config", "[core]\n");
    }

    private void write(String relative, String content) throws IOException {
        Path file = tree.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> analyze() throws Exception {
        RunningTask context = new RunningTask("t-1", "Analyze codebase", Map.of("path", tree.toString()), output, output,
                (message, fraction) -> { });
        Map<String, Object> result = (Map<String, Object>) new AnalyzeAgent().run(context);
        assertThat(result).containsEntry("json", output.resolve("analysis.json").toString());
        return Json.readObject(Files.readString(output.resolve("analysis.json")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> language(Map<String, Object> json, String name) {
        return ((List<Map<String, Object>>) json.get("languages")).stream()
                .filter(row -> row.get("language").equals(name)).findFirst().orElseThrow();
    }

    @Test
    void lines_are_counted_per_language_as_code_comment_and_blank() throws Exception {
        Map<String, Object> json = analyze();

        // Main 7, First 10, Second 10, keep.gen 1; comments Main 4, Second 1; one blank in each of three.
        assertThat(language(json, "Java")).containsEntry("files", 4L).containsEntry("code", 7L + 10 + 10 + 1)
                .containsEntry("comment", 4L + 1).containsEntry("blank", 1L + 1 + 1);
        assertThat(language(json, "Python")).containsEntry("files", 1L).containsEntry("code", 5L)
                .containsEntry("comment", 1L).containsEntry("blank", 2L);
        assertThat(language(json, "JavaScript")).containsEntry("files", 1L).containsEntry("code", 1L);
        assertThat(language(json, "Bourne Again Shell")).as("an extensionless script, by its #! line (code)")
                .containsEntry("files", 1L).containsEntry("code", 2L).containsEntry("comment", 1L);
        assertThat(json.get("languages").toString()).as("a .txt file with a NUL byte is binary, not Text")
                .doesNotContain("Text");
    }

    @Test
    void totals_skips_and_cut_lines_are_reported() throws Exception {
        Map<String, Object> json = analyze();

        // Main, keep.gen, First, Second (Java), tool.py, long.js, bin/start; data.txt is binary by content.
        assertThat(json).containsEntry("files", 7L).containsEntry("cutLines", 1L);
        assertThat((Map<String, Object>) json.get("skipped"))
                .containsEntry("ignored", 2L)        // ignored/ and skip.gen.java
                .containsEntry("buildOutput", 2L)    // target/ and node_modules/
                .containsEntry("binary", 2L)         // picture.png by name, data.txt by content
                .containsEntry("unrecognized", 2L);  // notes.unknownext and .gitignore itself
    }

    @Test
    @SuppressWarnings("unchecked")
    void markers_and_functions_are_found_with_file_and_line() throws Exception {
        Map<String, Object> json = analyze();

        Map<String, Object> markers = (Map<String, Object>) json.get("markers");
        assertThat(markers).containsEntry("total", 2L);
        assertThat((List<Map<String, Object>>) markers.get("items")).containsExactly(
                Map.of("path", "src/Main.java", "line", 10L, "kind", "TODO", "text", "// TODO make it count"),
                Map.of("path", "tool.py", "line", 5L, "kind", "FIXME", "text", "x = 1  # FIXME later"));
        List<Map<String, Object>> blocks = (List<Map<String, Object>>) json.get("longestBlocks");
        assertThat(blocks).extracting(b -> b.get("path") + ":" + b.get("startLine") + "-" + b.get("endLine"))
                .contains("src/Main.java:8-11", "tool.py:4-6");
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_same_lines_in_two_places_are_one_repeated_block_with_both_locations() throws Exception {
        Map<String, Object> json = analyze();

        Map<String, Object> repeated = (Map<String, Object>) json.get("repeatedBlocks");
        assertThat(repeated).containsEntry("total", 1L);
        Map<String, Object> block = ((List<Map<String, Object>>) repeated.get("items")).get(0);
        assertThat(block).containsEntry("lines", 7L).containsEntry("occurrences", 2L);
        assertThat((List<Map<String, Object>>) block.get("locations")).containsExactly(
                Map.of("path", "a/First.java", "startLine", 2L, "endLine", 10L),
                Map.of("path", "b/deep/Second.java", "startLine", 3L, "endLine", 11L));
    }

    @Test
    void the_markdown_report_says_the_same() throws Exception {
        analyze();
        String report = Files.readString(output.resolve("analysis.md"));

        assertThat(report).contains("| Java | 4 | 28 | 5 | 3 | 36 |", "`src/Main.java:10` // TODO make it count",
                "- 7 lines, 2 times: `a/First.java:2-10` `b/deep/Second.java:3-11`", "Lines cut at 2000 characters: 1.");
    }
}
