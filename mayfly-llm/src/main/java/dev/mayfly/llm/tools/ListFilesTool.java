package dev.mayfly.llm.tools;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Lists a folder of the workspace as an indented tree, to a depth, within the result's size limit. */
public final class ListFilesTool implements Tool {

    private final Workspace workspace;

    public ListFilesTool(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public ToolSpecification specification() {
        return ToolSpecification.builder()
                .name("list_files")
                .description("Lists the files and folders of a folder of the workspace as a tree (folders end in /, "
                        + "files show their size in bytes). .git is shown but not entered.")
                .parameters(JsonObjectSchema.builder()
                        .addStringProperty("path", "the folder, relative to the workspace (default .)")
                        .addIntegerProperty("depth", "how many levels to show, 1 to 10 (default 2)")
                        .build())
                .build();
    }

    @Override
    public String run(ToolArguments arguments, int maxChars) throws ToolException, IOException {
        Path folder = workspace.resolve(arguments.string("path", "."));
        int depth = arguments.integer("depth", 2, 1, 10);
        if (!Files.isDirectory(folder)) {
            throw new ToolException(workspace.relative(folder) + " is not a folder");
        }
        Listing listing = new Listing(maxChars - 200);
        listing.out.append(workspace.relative(folder)).append("/\n");
        list(folder, 1, depth, listing);
        if (listing.omitted > 0) {
            listing.out.append("(").append(listing.omitted).append(" more entries not shown; list a subfolder)\n");
        }
        return listing.out.toString();
    }

    private static final class Listing {
        final StringBuilder out = new StringBuilder();
        final int maxChars;
        int omitted;

        Listing(int maxChars) {
            this.maxChars = maxChars;
        }

        boolean add(String line) {
            if (out.length() + line.length() + 1 > maxChars) {
                omitted++;
                return false;
            }
            out.append(line).append('\n');
            return true;
        }
    }

    private void list(Path folder, int level, int depth, Listing listing) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
            stream.forEach(entries::add);
        }
        entries.sort(null);
        String indent = "  ".repeat(level);
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (Files.isSymbolicLink(entry)) {
                listing.add(indent + name + " -> (symbolic link)");
            } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                if (listing.add(indent + name + "/") && level < depth && !name.equals(".git")) {
                    list(entry, level + 1, depth, listing);
                }
            } else {
                listing.add(indent + name + " (" + Files.size(entry) + ")");
            }
        }
    }
}
