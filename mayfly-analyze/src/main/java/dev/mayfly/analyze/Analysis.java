package dev.mayfly.analyze;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the analysis learns, gathered file by file. What it holds is bounded by what it
 * reports: per-language totals, the top {@value #TOP} files and blocks, the markers it lists, and
 * the repeated windows; never the tree's files or lines.
 */
final class Analysis {

    static final int TOP = 20;
    private static final int BINARY_PROBE_BYTES = 8 * 1024;

    final Map<String, LanguageTotals> languages = new TreeMap<>();
    final TopN<FileEntry> largestFiles = new TopN<>(TOP, FileEntry::lines);
    final TopN<Block> longestBlocks = new TopN<>(TOP, Block::lines);
    final Markers markers = new Markers();
    final RepeatedBlocks repeated = new RepeatedBlocks();
    final SourceTree.Skipped skipped = new SourceTree.Skipped();
    long files;
    long cutLines;

    /** The first pass over one file: lines by kind, size, blocks, markers, and window hashes. */
    void scan(Path file, String path, Language language) throws IOException {
        try (InputStream in = textOrNull(file)) {
            if (in == null) {
                skipped.binary++;
                return;
            }
            LanguageTotals totals = languages.computeIfAbsent(language.name(), LanguageTotals::new);
            LineClassifier classifier = new LineClassifier(language);
            BlockFinder blocks = new BlockFinder(path, language.blocks(), longestBlocks);
            Windows windows = new Windows(repeated.firstPass());
            long before = totals.lines();
            try (BoundedLineReader reader = new BoundedLineReader(in)) {
                String line;
                int number = 0;
                while ((line = reader.readLine()) != null) {
                    number++;
                    LineKind kind = classifier.classify(line);
                    totals.add(kind);
                    markers.scan(path, number, line);
                    if (kind == LineKind.CODE) {
                        blocks.codeLine(number, line, classifier.code());
                    }
                    windows.line(number, line);
                }
                cutLines += reader.cutLines();
            }
            blocks.end();
            totals.files++;
            files++;
            largestFiles.offer(new FileEntry(path, language.name(), totals.lines() - before, Files.size(file)));
        }
    }

    /** The second pass over one file: where its repeated windows are. */
    void locateRepeats(Path file, String path) throws IOException {
        try (InputStream in = textOrNull(file)) {
            if (in == null) {
                return;
            }
            Windows windows = new Windows(repeated.secondPass(path));
            try (BoundedLineReader reader = new BoundedLineReader(in)) {
                String line;
                int number = 0;
                while ((line = reader.readLine()) != null) {
                    windows.line(++number, line);
                }
            }
        }
    }

    /**
     * The file's content stream, or null when it is binary (a NUL byte in its first 8 KB), in
     * which case it is counted as skipped. Both passes ask, so both skip the same files.
     */
    private InputStream textOrNull(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
        in.mark(BINARY_PROBE_BYTES);
        byte[] probe = in.readNBytes(BINARY_PROBE_BYTES);
        in.reset();
        for (byte b : probe) {
            if (b == 0) {
                in.close();
                return null;
            }
        }
        return in;
    }
}
