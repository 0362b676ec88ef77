package dev.mayfly.analyze;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The analysis as a JSON-ready map and as Markdown a person reads. */
final class AnalysisReport {

    static final int REPEATED_LISTED = 50;

    private final String root;
    private final Analysis analysis;
    private final List<RepeatedBlocks.Block> repeated;
    private final long elapsedMs;

    AnalysisReport(String root, Analysis analysis, long elapsedMs) {
        this.root = root;
        this.analysis = analysis;
        this.repeated = analysis.repeated.blocks();
        this.elapsedMs = elapsedMs;
    }

    private List<LanguageTotals> languagesByCode() {
        List<LanguageTotals> list = new ArrayList<>(analysis.languages.values());
        list.sort((a, b) -> a.code != b.code ? Long.compare(b.code, a.code) : a.language.compareTo(b.language));
        return list;
    }

    private LanguageTotals total() {
        LanguageTotals sum = new LanguageTotals("SUM");
        for (LanguageTotals language : analysis.languages.values()) {
            sum.files += language.files;
            sum.blank += language.blank;
            sum.comment += language.comment;
            sum.code += language.code;
        }
        return sum;
    }

    private static Map<String, Object> counts(LanguageTotals totals) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("language", totals.language);
        map.put("files", totals.files);
        map.put("lines", totals.lines());
        map.put("code", totals.code);
        map.put("comment", totals.comment);
        map.put("blank", totals.blank);
        return map;
    }

    /** Everything, for analysis.json. */
    Map<String, Object> json() {
        Map<String, Object> json = summary();
        List<Object> languages = new ArrayList<>();
        languagesByCode().forEach(language -> languages.add(counts(language)));
        json.put("languages", languages);
        List<Object> files = new ArrayList<>();
        for (FileEntry file : analysis.largestFiles.largestFirst()) {
            files.add(Map.of("path", file.path(), "language", file.language(), "lines", file.lines(), "bytes", file.bytes()));
        }
        json.put("largestFiles", files);
        List<Object> blocks = new ArrayList<>();
        for (Block block : analysis.longestBlocks.largestFirst()) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("path", block.path());
            map.put("startLine", block.startLine());
            map.put("endLine", block.endLine());
            map.put("lines", block.lines());
            map.put("header", block.header());
            blocks.add(map);
        }
        json.put("longestBlocks", blocks);
        Map<String, Object> markers = new LinkedHashMap<>();
        markers.put("total", analysis.markers.total());
        markers.put("byKind", analysis.markers.byKind());
        List<Object> items = new ArrayList<>();
        for (Markers.Marker marker : analysis.markers.listed()) {
            items.add(Map.of("path", marker.path(), "line", marker.line(), "kind", marker.kind(), "text", marker.text()));
        }
        markers.put("items", items);
        json.put("markers", markers);
        Map<String, Object> repeats = new LinkedHashMap<>();
        repeats.put("total", repeated.size());
        List<Object> listed = new ArrayList<>();
        for (RepeatedBlocks.Block block : repeated.subList(0, Math.min(REPEATED_LISTED, repeated.size()))) {
            List<Object> where = new ArrayList<>();
            for (RepeatedBlocks.Location location : block.locations()) {
                where.add(Map.of("path", location.path(), "startLine", location.startLine(), "endLine", location.endLine()));
            }
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("lines", block.lines());
            map.put("occurrences", block.occurrences());
            map.put("locations", where);
            listed.add(map);
        }
        repeats.put("items", listed);
        json.put("repeatedBlocks", repeats);
        return json;
    }

    /** The headline numbers: the agent's result, and the head of analysis.json. */
    Map<String, Object> summary() {
        LanguageTotals total = total();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("root", root);
        summary.put("files", total.files);
        summary.put("lines", total.lines());
        summary.put("code", total.code);
        summary.put("comment", total.comment);
        summary.put("blank", total.blank);
        summary.put("languages", analysis.languages.size());
        summary.put("markers", analysis.markers.total());
        summary.put("repeatedBlocks", repeated.size());
        Map<String, Object> skipped = new LinkedHashMap<>();
        skipped.put("ignored", analysis.skipped.ignored);
        skipped.put("buildOutput", analysis.skipped.buildOutput);
        skipped.put("binary", analysis.skipped.binary);
        skipped.put("unrecognized", analysis.skipped.unrecognized);
        skipped.put("symlinks", analysis.skipped.symlinks);
        skipped.put("unreadable", analysis.skipped.unreadable);
        summary.put("skipped", skipped);
        summary.put("cutLines", analysis.cutLines);
        summary.put("elapsedMs", elapsedMs);
        return summary;
    }

    /** analysis.md. */
    String markdown() {
        StringBuilder md = new StringBuilder();
        LanguageTotals total = total();
        md.append("# Codebase analysis\n\n");
        md.append(String.format(Locale.ROOT, "`%s`: %,d files, %,d lines (%,d code, %,d comment, %,d blank), in %.1f s.%n%n",
                root, total.files, total.lines(), total.code, total.comment, total.blank, elapsedMs / 1000.0));
        SourceTree.Skipped skipped = analysis.skipped;
        md.append(String.format(Locale.ROOT, "Not counted: %d ignored by .gitignore, %d build-output folders, %d binary, "
                + "%d of unknown languages, %d symbolic links, %d unreadable. Lines cut at %d characters: %d.%n%n",
                skipped.ignored, skipped.buildOutput, skipped.binary, skipped.unrecognized, skipped.symlinks,
                skipped.unreadable, BoundedLineReader.MAX_LINE, analysis.cutLines));
        md.append("## Lines per language\n\n| language | files | code | comment | blank | lines |\n|---|---:|---:|---:|---:|---:|\n");
        for (LanguageTotals language : languagesByCode()) {
            row(md, language);
        }
        row(md, total);
        md.append("\n## Largest files\n\n| file | language | lines | bytes |\n|---|---|---:|---:|\n");
        for (FileEntry file : analysis.largestFiles.largestFirst()) {
            md.append(String.format(Locale.ROOT, "| `%s` | %s | %,d | %,d |%n", file.path(), file.language(), file.lines(), file.bytes()));
        }
        md.append("\n## Longest functions\n\nFound without parsing: a block opened by a line that looks like a declaration "
                + "(`name(...) {`), or a Python `def`.\n\n| where | lines | opens with |\n|---|---:|---|\n");
        for (Block block : analysis.longestBlocks.largestFirst()) {
            md.append(String.format(Locale.ROOT, "| `%s:%d-%d` | %d | `%s` |%n", block.path(), block.startLine(),
                    block.endLine(), block.lines(), block.header().replace("|", "\\|").replace("`", "'")));
        }
        md.append(String.format(Locale.ROOT, "%n## Markers%n%n%,d in all: %s.%n%n", analysis.markers.total(),
                analysis.markers.byKind().toString().replace("{", "").replace("}", "")));
        for (Markers.Marker marker : analysis.markers.listed()) {
            md.append(String.format(Locale.ROOT, "- `%s:%d` %s%n", marker.path(), marker.line(), marker.text()));
        }
        if (analysis.markers.total() > analysis.markers.listed().size()) {
            md.append("- … and ").append(analysis.markers.total() - analysis.markers.listed().size()).append(" more\n");
        }
        md.append(String.format(Locale.ROOT, "%n## Repeated blocks%n%n%,d blocks of %d or more significant lines "
                + "(lines with a letter or digit) occur in more than one place.%n%n", repeated.size(), Windows.SIZE));
        for (RepeatedBlocks.Block block : repeated.subList(0, Math.min(REPEATED_LISTED, repeated.size()))) {
            md.append(String.format(Locale.ROOT, "- %d lines, %d times:", block.lines(), block.occurrences()));
            for (RepeatedBlocks.Location location : block.locations()) {
                md.append(String.format(Locale.ROOT, " `%s:%d-%d`", location.path(), location.startLine(), location.endLine()));
            }
            md.append(block.occurrences() > block.locations().size() ? " …\n" : "\n");
        }
        return md.toString();
    }

    private static void row(StringBuilder md, LanguageTotals t) {
        md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %,d |%n", t.language, t.files, t.code, t.comment,
                t.blank, t.lines()));
    }
}
