package dev.mayfly.llm.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Replaces an exact piece of text in a file. The text must occur once, unless all occurrences
 * are asked for, so that an edit never lands somewhere the model did not mean.
 */
public final class EditFileTool implements Tool {

    /** Larger files are rewritten with write_file: an edit holds the file in memory twice. */
    static final long MAX_BYTES = 8L * 1024 * 1024;

    private final Workspace workspace;

    public EditFileTool(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public ToolSpecification specification() {
        return ToolSpecification.builder()
                .name("edit_file")
                .description("Replaces old_text with new_text in a file of the workspace. old_text must occur exactly "
                        + "once (include enough surrounding lines), unless replace_all is true.")
                .parameters(JsonObjectSchema.builder()
                        .addStringProperty("path", "the file, relative to the workspace")
                        .addStringProperty("old_text", "the exact text to replace")
                        .addStringProperty("new_text", "the text to put in its place")
                        .addBooleanProperty("replace_all", "replace every occurrence (default false)")
                        .required("path", "old_text", "new_text")
                        .build())
                .build();
    }

    @Override
    public String run(ToolArguments arguments, int maxChars) throws ToolException, IOException {
        Path file = workspace.resolve(arguments.string("path"));
        String oldText = arguments.string("old_text");
        String newText = arguments.string("new_text");
        boolean all = arguments.bool("replace_all", false);
        String name = workspace.relative(file);
        if (!Files.isRegularFile(file)) {
            throw new ToolException(name + " does not exist; write_file creates files");
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new ToolException(name + " is over " + MAX_BYTES / (1024 * 1024) + " MB; rewrite it with write_file");
        }
        if (oldText.isEmpty()) {
            throw new ToolException("old_text is empty; give the text to replace");
        }
        String content = Files.readString(file, StandardCharsets.UTF_8);
        int count = occurrences(content, oldText);
        if (count == 0) {
            throw new ToolException("old_text was not found in " + name + "; read the file and copy the text exactly");
        }
        if (count > 1 && !all) {
            throw new ToolException("old_text occurs " + count + " times in " + name
                    + "; include more surrounding text to make it unique, or set replace_all");
        }
        String changed = all ? content.replace(oldText, newText) : replaceFirst(content, oldText, newText);
        Files.writeString(file, changed, StandardCharsets.UTF_8);
        return "replaced " + (all ? count + " occurrence(s)" : "1 occurrence") + " in " + name;
    }

    private static int occurrences(String content, String text) {
        int count = 0;
        for (int at = content.indexOf(text); at >= 0; at = content.indexOf(text, at + text.length())) {
            count++;
        }
        return count;
    }

    private static String replaceFirst(String content, String oldText, String newText) {
        int at = content.indexOf(oldText);
        return content.substring(0, at) + newText + content.substring(at + oldText.length());
    }
}
