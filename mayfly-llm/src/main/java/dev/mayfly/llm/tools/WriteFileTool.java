package dev.mayfly.llm.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a whole file, creating its folders; an existing file is replaced. */
public final class WriteFileTool implements Tool {

    private final Workspace workspace;

    public WriteFileTool(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public ToolSpecification specification() {
        return ToolSpecification.builder()
                .name("write_file")
                .description("Writes a text file of the workspace, replacing it if it exists and creating its folders.")
                .parameters(JsonObjectSchema.builder()
                        .addStringProperty("path", "the file, relative to the workspace")
                        .addStringProperty("content", "the file's whole new content")
                        .required("path", "content")
                        .build())
                .build();
    }

    @Override
    public String run(ToolArguments arguments, int maxChars) throws ToolException, IOException {
        Path file = workspace.resolve(arguments.string("path"));
        String content = arguments.string("content");
        if (Files.isDirectory(file)) {
            throw new ToolException(workspace.relative(file) + " is a folder");
        }
        boolean existed = Files.exists(file);
        Files.createDirectories(file.getParent());
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);
        return (existed ? "replaced " : "created ") + workspace.relative(file) + " (" + bytes.length + " bytes)";
    }
}
