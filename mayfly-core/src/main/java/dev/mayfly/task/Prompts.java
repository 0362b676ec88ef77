package dev.mayfly.task;

import dev.mayfly.config.FileReasons;
import dev.mayfly.config.StrictUtf8;
import dev.mayfly.errors.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A task's prompt as the user gives it: as text, from standard input or from a file. A prompt is
 * UTF-8 text, not blank, and at most {@value #MAX_MB} MB: it is stored whole with its task, and a
 * file of gigabytes given by mistake must not be read into memory.
 */
public final class Prompts {

    public static final int MAX_MB = 32;
    private static final int MAX_BYTES = MAX_MB * 1024 * 1024;

    private Prompts() {}

    /** @param setting where the text came from, for the error: "--prompt", "line 4's prompt" */
    public static String checked(String setting, String text) {
        if (text.isBlank()) {
            throw new UsageException(setting + " is empty; give the task's prompt (what it is to do)");
        }
        if (text.length() > MAX_BYTES) {
            throw tooLarge(setting);
        }
        return text;
    }

    /** Reads a prompt file; its errors name the setting, the file and why it cannot be used. */
    public static String fromFile(String setting, Path file) {
        String what = setting + " " + file;
        try {
            if (Files.isDirectory(file)) {
                throw new UsageException(what + " is a folder; give a file holding the prompt");
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw tooLarge(what);
            }
            return checked(what, StrictUtf8.decode(what, Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UsageException("cannot read " + what + ": " + FileReasons.of(e));
        }
    }

    /** Reads the prompt from standard input ({@code --prompt -}) up to its end. */
    public static String fromInput(String setting, InputStream input) {
        String what = setting + " (standard input)";
        try {
            byte[] bytes = input.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw tooLarge(what);
            }
            return checked(what, StrictUtf8.decode(what, bytes));
        } catch (IOException e) {
            throw new UsageException("cannot read " + what + ": " + FileReasons.of(e));
        }
    }

    private static UsageException tooLarge(String what) {
        return new UsageException(what + " is larger than " + MAX_MB
                + " MB, the most a prompt can be; give the agent a file to read instead");
    }
}
