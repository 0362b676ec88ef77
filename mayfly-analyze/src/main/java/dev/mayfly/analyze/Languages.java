package dev.mayfly.analyze;

import dev.mayfly.analyze.Language.BlockStyle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The languages the analysis recognises, by file extension or file name. */
final class Languages {

    private static final Map<String, Language> BY_EXTENSION = new HashMap<>();
    private static final Map<String, Language> BY_NAME = new HashMap<>();
    private static final Map<String, Language> BY_INTERPRETER = new HashMap<>();

    static {
        extensions(braces("Java"), "java");
        extensions(braces("Kotlin"), "kt", "kts");
        extensions(braces("Scala"), "scala", "sc");
        extensions(braces("Groovy"), "groovy", "gradle");
        extensions(braces("C"), "c");
        extensions(braces("C/C++ Header"), "h", "hh", "hpp", "hxx");
        extensions(braces("C++"), "cc", "cpp", "cxx", "c++");
        extensions(braces("C#"), "cs");
        extensions(braces("Objective-C"), "m", "mm");
        extensions(braces("Go"), "go");
        extensions(new Language("Rust", List.of("//"), "/*", "*/", "\"", BlockStyle.BRACES), "rs");
        extensions(braces("Swift"), "swift");
        extensions(braces("Dart"), "dart");
        extensions(new Language("JavaScript", List.of("//"), "/*", "*/", "\"'`", BlockStyle.BRACES), "js", "mjs", "cjs", "jsx");
        extensions(new Language("TypeScript", List.of("//"), "/*", "*/", "\"'`", BlockStyle.BRACES), "ts", "tsx", "mts", "cts");
        extensions(braces("PHP"), "php");
        extensions(new Language("CSS", List.of(), "/*", "*/", "\"'", BlockStyle.NONE), "css");
        extensions(new Language("SCSS", List.of("//"), "/*", "*/", "\"'", BlockStyle.NONE), "scss", "less");
        extensions(new Language("Python", List.of("#"), null, null, "\"'", BlockStyle.INDENTATION), "py", "pyi");
        extensions(hash("Ruby"), "rb", "rake");
        extensions(hash("Perl"), "pl", "pm");
        extensions(hash("Bourne Shell"), "sh");
        extensions(hash("Bourne Again Shell"), "bash");
        extensions(hash("zsh"), "zsh");
        extensions(hash("R"), "r");
        extensions(hash("YAML"), "yml", "yaml");
        extensions(hash("TOML"), "toml");
        extensions(hash("make"), "mk");
        extensions(hash("Dockerfile"), "dockerfile");
        extensions(hash("Properties"), "properties");
        extensions(hash("Elixir"), "ex", "exs");
        extensions(new Language("HCL", List.of("#", "//"), "/*", "*/", "\"", BlockStyle.BRACES), "tf", "hcl");
        extensions(new Language("INI", List.of(";", "#"), null, null, "", BlockStyle.NONE), "ini", "cfg");
        extensions(new Language("SQL", List.of("--"), "/*", "*/", "'", BlockStyle.NONE), "sql");
        extensions(new Language("Lua", List.of("--"), "--[[", "]]", "\"'", BlockStyle.NONE), "lua");
        extensions(new Language("Haskell", List.of("--"), "{-", "-}", "\"", BlockStyle.NONE), "hs");
        extensions(new Language("Erlang", List.of("%"), null, null, "\"", BlockStyle.NONE), "erl", "hrl");
        extensions(new Language("Clojure", List.of(";"), null, null, "\"", BlockStyle.NONE), "clj", "cljs", "cljc", "edn");
        extensions(new Language("Lisp", List.of(";"), "#|", "|#", "\"", BlockStyle.NONE), "lisp", "el");
        extensions(new Language("Protocol Buffers", List.of("//"), "/*", "*/", "\"", BlockStyle.BRACES), "proto");
        extensions(new Language("DOS Batch", List.of("@REM", "@rem", "REM ", "rem ", "::"), null, null, "", BlockStyle.NONE), "bat", "cmd");
        extensions(new Language("PowerShell", List.of("#"), "<#", "#>", "\"'", BlockStyle.BRACES), "ps1", "psm1");
        extensions(markup("HTML"), "html", "htm");
        extensions(markup("XML"), "xml", "xsd", "xsl", "svg", "pom");
        extensions(markup("Markdown"), "md", "markdown");
        extensions(new Language("JSON", List.of(), null, null, "", BlockStyle.NONE), "json");
        extensions(new Language("reStructuredText", List.of(), null, null, "", BlockStyle.NONE), "rst");
        extensions(new Language("Text", List.of(), null, null, "", BlockStyle.NONE), "txt");
        BY_NAME.put("makefile", BY_EXTENSION.get("mk"));
        BY_NAME.put("gnumakefile", BY_EXTENSION.get("mk"));
        BY_NAME.put("dockerfile", BY_EXTENSION.get("dockerfile"));
        BY_NAME.put("cmakelists.txt", hash("CMake"));
        BY_INTERPRETER.put("sh", BY_EXTENSION.get("sh"));
        BY_INTERPRETER.put("dash", BY_EXTENSION.get("sh"));
        BY_INTERPRETER.put("bash", BY_EXTENSION.get("bash"));
        BY_INTERPRETER.put("zsh", BY_EXTENSION.get("zsh"));
        BY_INTERPRETER.put("python", BY_EXTENSION.get("py"));
        BY_INTERPRETER.put("node", BY_EXTENSION.get("js"));
        BY_INTERPRETER.put("perl", BY_EXTENSION.get("pl"));
        BY_INTERPRETER.put("ruby", BY_EXTENSION.get("rb"));
    }

    private Languages() {}

    private static Language braces(String name) {
        return new Language(name, List.of("//"), "/*", "*/", "\"'", BlockStyle.BRACES);
    }

    private static Language hash(String name) {
        return new Language(name, List.of("#"), null, null, "\"'", BlockStyle.NONE);
    }

    private static Language markup(String name) {
        return new Language(name, List.of(), "<!--", "-->", "", BlockStyle.NONE);
    }

    private static void extensions(Language language, String... extensions) {
        for (String extension : extensions) {
            BY_EXTENSION.put(extension, language);
        }
    }

    /** The file's language, or null when it is not one the analysis knows. */
    static Language of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Language byName = BY_NAME.get(name);
        if (byName != null) {
            return byName;
        }
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return byInterpreter(file);
        }
        return BY_EXTENSION.get(name.substring(dot + 1));
    }

    /** An extensionless script's language from its {@code #!} line ({@code #!/usr/bin/env bash}). */
    private static Language byInterpreter(Path file) {
        byte[] head = new byte[128];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return null;
        }
        String first = new String(head, 0, read, StandardCharsets.ISO_8859_1).split("\n", 2)[0];
        if (!first.startsWith("#!")) {
            return null;
        }
        String[] words = first.substring(2).trim().split("\\s+");
        String program = words[0].substring(words[0].lastIndexOf('/') + 1);
        if (program.equals("env") && words.length > 1) {
            program = words[words.length - 1];
        }
        return BY_INTERPRETER.get(program.replaceAll("[0-9.]+$", ""));
    }
}
