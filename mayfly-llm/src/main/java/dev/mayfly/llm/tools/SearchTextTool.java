package dev.mayfly.llm.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Finds lines that hold a text or match a regular expression, in one file or under a folder of the
 * workspace; binary files and {@code .git} are skipped, links are not followed.
 */
public final class SearchTextTool implements Tool {

    static final int SHOWN_LINE_CHARS = 300;

    private final Workspace workspace;

    public SearchTextTool(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public ToolSpecification specification() {
        return ToolSpecification.builder()
                .name("search_text")
                .description("Finds the lines of the workspace's text files that contain a text (or match a Java "
                        + "regular expression), as path:line: text.")
                .parameters(JsonObjectSchema.builder()
                        .addStringProperty("pattern", "the text to find")
                        .addStringProperty("path", "a file or folder to search, relative to the workspace (default .)")
                        .addBooleanProperty("regex", "treat pattern as a regular expression (default false)")
                        .addBooleanProperty("ignore_case", "ignore upper and lower case (default false)")
                        .addIntegerProperty("max_results", "the most matching lines to return, 1 to 500 (default 100)")
                        .required("pattern")
                        .build())
                .build();
    }

    @Override
    public String run(ToolArguments arguments, int maxChars) throws ToolException, IOException {
        String pattern = arguments.string("pattern");
        Path start = workspace.resolve(arguments.string("path", "."));
        int maxResults = arguments.integer("max_results", 100, 1, 500);
        Predicate<String> matches = matcher(pattern, arguments.bool("regex", false), arguments.bool("ignore_case", false));
        if (!Files.exists(start)) {
            throw new ToolException(workspace.relative(start) + " does not exist");
        }
        Search search = new Search(matches, maxResults, maxChars - 200);
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return dir.getFileName() != null && dir.getFileName().toString().equals(".git")
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile() && !BoundedLines.binary(file)) {
                    search.file(file, workspace.relative(file));
                }
                return search.full ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // An unreadable file is not worth failing the search for.
            }
        });
        if (search.found == 0) {
            return "no lines match '" + pattern + "' in " + search.files + " file(s) under " + workspace.relative(start);
        }
        search.out.append(search.full
                ? "(stopped at " + search.found + " matching lines; narrow the path or the pattern)"
                : "(" + search.found + " matching lines in " + search.files + " file(s))");
        return search.out.toString();
    }

    private static Predicate<String> matcher(String pattern, boolean regex, boolean ignoreCase) throws ToolException {
        if (pattern.isEmpty()) {
            throw new ToolException("pattern is empty");
        }
        try {
            int flags = ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
            Pattern compiled = Pattern.compile(regex ? pattern : Pattern.quote(pattern), flags);
            return line -> compiled.matcher(line).find();
        } catch (PatternSyntaxException e) {
            throw new ToolException("pattern is not a regular expression: " + e.getDescription());
        }
    }

    private static final class Search {
        final Predicate<String> matches;
        final int maxResults;
        final int maxChars;
        final StringBuilder out = new StringBuilder();
        int found;
        int files;
        boolean full;

        Search(Predicate<String> matches, int maxResults, int maxChars) {
            this.matches = matches;
            this.maxResults = maxResults;
            this.maxChars = maxChars;
        }

        void file(Path file, String name) throws IOException {
            files++;
            try (BoundedLines lines = new BoundedLines(file, ReadFileTool.MAX_LINE_CHARS)) {
                BoundedLines.Line line;
                int number = 0;
                while ((line = lines.next()) != null) {
                    number++;
                    if (!matches.test(line.text())) {
                        continue;
                    }
                    String text = line.text().strip();
                    String shown = name + ":" + number + ": "
                            + (text.length() > SHOWN_LINE_CHARS ? text.substring(0, SHOWN_LINE_CHARS) + "…" : text) + "\n";
                    if (found == maxResults || out.length() + shown.length() > maxChars) {
                        full = true;
                        return;
                    }
                    out.append(shown);
                    found++;
                }
            }
        }
    }
}
