package dev.mayfly.llm.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a text file a page at a time: at most {@value #MAX_LINES} lines from a line offset, each
 * cut at {@value #MAX_LINE_CHARS} characters, fewer when the result would pass its size limit. The
 * file is streamed, never held whole, and the result says where the next page starts.
 */
public final class ReadFileTool implements Tool {

    public static final int MAX_LINES = 2000;
    public static final int MAX_LINE_CHARS = 2000;

    private final Workspace workspace;

    public ReadFileTool(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public ToolSpecification specification() {
        return ToolSpecification.builder()
                .name("read_file")
                .description("Reads a text file of the workspace, with line numbers: at most " + MAX_LINES
                        + " lines from a 1-based line offset, each line cut at " + MAX_LINE_CHARS
                        + " characters. The result ends with where to continue.")
                .parameters(JsonObjectSchema.builder()
                        .addStringProperty("path", "the file, relative to the workspace")
                        .addIntegerProperty("offset", "the first line to read, from 1 (default 1)")
                        .addIntegerProperty("limit", "how many lines to read, 1 to " + MAX_LINES + " (default "
                                + MAX_LINES + ")")
                        .required("path")
                        .build())
                .build();
    }

    @Override
    public String run(ToolArguments arguments, int maxChars) throws ToolException, IOException {
        Path file = workspace.resolve(arguments.string("path"));
        int offset = arguments.integer("offset", 1, 1, Integer.MAX_VALUE);
        int limit = arguments.integer("limit", MAX_LINES, 1, MAX_LINES);
        if (Files.isDirectory(file)) {
            throw new ToolException(workspace.relative(file) + " is a folder; list_files shows what is in it");
        }
        if (!Files.isRegularFile(file)) {
            throw new ToolException(workspace.relative(file) + " does not exist");
        }
        if (BoundedLines.binary(file)) {
            return workspace.relative(file) + " is a binary file of " + Files.size(file) + " bytes; not shown";
        }
        StringBuilder out = new StringBuilder();
        int lineNumber = 0;
        int lastShown = 0;
        boolean full = false;
        try (BoundedLines lines = new BoundedLines(file, MAX_LINE_CHARS)) {
            BoundedLines.Line line;
            while ((line = lines.next()) != null) {
                lineNumber++;
                if (lineNumber < offset || full) {
                    continue; // Read on to count the lines, keeping nothing.
                }
                String shown = String.format(Locale.ROOT, "%6d\t%s%s%n", lineNumber, line.text(),
                        line.cut() ? " [line cut at " + MAX_LINE_CHARS + " characters]" : "");
                if (lineNumber - offset >= limit || out.length() + shown.length() > maxChars - 200) {
                    full = true;
                    continue;
                }
                out.append(shown);
                lastShown = lineNumber;
            }
        }
        String name = workspace.relative(file);
        if (lineNumber == 0) {
            return name + " is empty";
        }
        if (lastShown == 0) {
            return name + " has " + lineNumber + " lines; offset " + offset + " is past its end";
        }
        out.append(lastShown < lineNumber
                ? "(lines " + offset + "-" + lastShown + " of " + lineNumber + "; continue with offset " + (lastShown + 1) + ")"
                : "(lines " + offset + "-" + lastShown + " of " + lineNumber + ", end of file)");
        return out.toString();
    }
}
