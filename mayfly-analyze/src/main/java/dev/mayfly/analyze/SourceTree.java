package dev.mayfly.analyze;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * Walks a source tree the way a person means "the code": in name order, skipping what git
 * ignores (every {@code .gitignore} on the way, with git's own matching from JGit), version
 * control folders, build output, symbolic links, files of unknown languages and known binary
 * formats. Memory: one folder's listing and one set of ignore rules per level of depth.
 */
final class SourceTree {

    static final Set<String> VERSION_CONTROL = Set.of(".git", ".hg", ".svn");
    static final Set<String> BUILD_OUTPUT = Set.of("target", "build", "out", "dist", "node_modules", ".gradle",
            "__pycache__", ".venv", "venv", ".tox", ".mypy_cache", ".pytest_cache", ".next", "coverage", ".mayfly");
    private static final Set<String> BINARY_EXTENSIONS = Set.of("class", "jar", "war", "zip", "gz", "tgz", "xz",
            "bz2", "7z", "png", "jpg", "jpeg", "gif", "bmp", "ico", "webp", "pdf", "so", "dll", "dylib", "exe", "o",
            "a", "lib", "bin", "jsa", "db", "sqlite", "woff", "woff2", "ttf", "otf", "eot", "mp3", "mp4", "mov", "avi",
            "wasm", "pyc", "iso", "dmg");

    /** Receives each source file. */
    @FunctionalInterface
    interface Visitor {
        void file(Path file, String relativePath, Language language) throws IOException;
    }

    /** What the walk passed over, and why. */
    static final class Skipped {
        long ignored;
        long buildOutput;
        long binary;
        long unrecognized;
        long symlinks;
        long unreadable;
    }

    private record Rules(String prefix, IgnoreNode node) {}

    private final Path root;
    private final Skipped skipped;

    SourceTree(Path root, Skipped skipped) {
        this.root = root;
        this.skipped = skipped;
    }

    void walk(Visitor visitor) throws IOException {
        walk(root, "", new ArrayDeque<>(), visitor);
    }

    private void walk(Path dir, String prefix, Deque<Rules> rules, Visitor visitor) throws IOException {
        Path gitignore = dir.resolve(".gitignore");
        boolean pushed = false;
        if (Files.isRegularFile(gitignore)) {
            IgnoreNode node = new IgnoreNode();
            try (InputStream in = Files.newInputStream(gitignore)) {
                node.parse(in);
            }
            rules.push(new Rules(prefix, node));
            pushed = true;
        }
        try {
            for (Path entry : sortedEntries(dir)) {
                String name = entry.getFileName().toString();
                String relative = prefix + name;
                if (Files.isSymbolicLink(entry)) {
                    skipped.symlinks++;
                } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    if (VERSION_CONTROL.contains(name)) {
                        continue;
                    }
                    if (BUILD_OUTPUT.contains(name)) {
                        skipped.buildOutput++;
                    } else if (ignored(rules, relative, true)) {
                        skipped.ignored++;
                    } else {
                        walk(entry, relative + "/", rules, visitor);
                    }
                } else if (ignored(rules, relative, false)) {
                    skipped.ignored++;
                } else if (BINARY_EXTENSIONS.contains(extension(name))) {
                    skipped.binary++;
                } else {
                    Language language = Languages.of(entry);
                    if (language == null) {
                        skipped.unrecognized++;
                    } else {
                        visitor.file(entry, relative, language);
                    }
                }
            }
        } finally {
            if (pushed) {
                rules.pop();
            }
        }
    }

    private List<Path> sortedEntries(Path dir) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        } catch (IOException e) {
            skipped.unreadable++;
        }
        entries.sort(null);
        return entries;
    }

    /** Git's answer: the deepest .gitignore that has an opinion decides. */
    private static boolean ignored(Deque<Rules> rules, String relative, boolean directory) {
        for (Rules level : rules) {
            IgnoreNode.MatchResult result = level.node().isIgnored(relative.substring(level.prefix().length()), directory);
            if (result == IgnoreNode.MatchResult.IGNORED) {
                return true;
            }
            if (result == IgnoreNode.MatchResult.NOT_IGNORED) {
                return false;
            }
        }
        return false;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
