package dev.mayfly.llm.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The folder the model's tools may touch: the task's work folder. Every path a tool is given is
 * resolved here, and refused when it leads outside, whether by {@code ..}, by an absolute path, or
 * by a symbolic link (the real path of the file, or of its nearest existing parent for a file
 * still to be written, must lie inside the folder's real path).
 */
public final class Workspace {

    private final Path root;

    public Workspace(Path folder) throws IOException {
        this.root = folder.toRealPath();
    }

    public Path root() {
        return root;
    }

    /**
     * The path the model named, inside the workspace.
     *
     * @throws ToolException when it leads outside, or is not a path
     */
    public Path resolve(String given) throws ToolException {
        if (given == null || given.isBlank()) {
            throw new ToolException("a path is needed");
        }
        Path asked;
        try {
            asked = root.resolve(given).normalize();
        } catch (InvalidPathException e) {
            throw new ToolException("'" + given + "' is not a path");
        }
        if (!asked.startsWith(root)) {
            throw outside(given);
        }
        Path existing = asked;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        try {
            // A dangling link is refused too: where it would write is outside our control.
            if (existing == null || !existing.toRealPath().startsWith(root)) {
                throw outside(given);
            }
        } catch (IOException e) {
            throw outside(given);
        }
        return asked;
    }

    /** The path as the model should see it: relative to the workspace, with forward slashes. */
    public String relative(Path path) {
        String relative = root.relativize(path).toString().replace('\\', '/');
        return relative.isEmpty() ? "." : relative;
    }

    private ToolException outside(String given) {
        return new ToolException("'" + given + "' is outside the workspace; paths must stay inside " + root
                + " (no .., no absolute paths elsewhere, no symbolic links leading out)");
    }
}
