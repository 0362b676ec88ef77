package dev.mayfly.json;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader and a writer of JSON text for plain values only: maps, lists, strings, numbers,
 * booleans and null, written as jackson-core writes them (no spaces; {@code "}, {@code \} and
 * control characters escaped, the usual ones short, the others as {@code \}{@code u00XX}; other
 * characters as they are).
 *
 * <p>Why not jackson-core: every worker JVM reads and writes a few of these on its channel, and
 * jackson-core's first use cost a fresh JVM about 20 ms of wall time and 22–30 ms of CPU, a quarter
 * of a whole empty task's CPU (docs/benchmarks.md, "A worker JVM's CPU, a first split").
 */
final class PlainJson {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** The short escapes, {@code \n} for a line feed and so on, and what each stands for. */
    private static final String SHORT = "\"\\/bfnrt";
    private static final String MEANS = "\"\\/\b\f\n\r\t";

    private final String text;
    private int at;

    private PlainJson(String text) {
        this.text = text;
    }

    /**
     * Parses one JSON text into maps ({@link LinkedHashMap}), lists, strings, whole numbers as
     * {@link Long} (a {@link BigInteger} past its range), other numbers as {@link Double}, booleans
     * and nulls.
     */
    static Object read(String text) throws IOException {
        PlainJson reader = new PlainJson(text);
        reader.skipSpace();
        if (reader.at == text.length()) {
            throw new IOException("empty JSON text");
        }
        Object value = reader.value(0);
        reader.skipSpace();
        if (reader.at < text.length()) {
            throw new IOException("unexpected text after the JSON value at column " + (reader.at + 1));
        }
        return value;
    }

    /** Deeper than this is not a message anyone meant to send (jackson-core's limit too). */
    private static final int MAX_DEPTH = 1000;
    /** A longer number is refused rather than parsed in quadratic time (jackson-core's limit too). */
    private static final int MAX_NUMBER_LENGTH = 1000;

    private Object value(int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw error("JSON nested deeper than " + MAX_DEPTH + " levels");
        }
        char c = peek();
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return word("true", Boolean.TRUE);
            case 'f':
                return word("false", Boolean.FALSE);
            case 'n':
                return word("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character '" + c + "'");
        }
    }

    private Map<String, Object> object(int depth) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        at++;
        skipSpace();
        if (peek() == '}') {
            at++;
            return map;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected '\"' to start a field name");
            }
            String name = string();
            skipSpace();
            expect(':');
            skipSpace();
            map.put(name, value(depth + 1));
            skipSpace();
            char c = next();
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                at--;
                throw error("expected ',' or '}' in an object");
            }
        }
    }

    private List<Object> array(int depth) throws IOException {
        List<Object> list = new ArrayList<>();
        at++;
        skipSpace();
        if (peek() == ']') {
            at++;
            return list;
        }
        while (true) {
            skipSpace();
            list.add(value(depth + 1));
            skipSpace();
            char c = next();
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                at--;
                throw error("expected ',' or ']' in an array");
            }
        }
    }

    private String string() throws IOException {
        at++;
        StringBuilder out = null;
        int start = at;
        while (true) {
            if (at >= text.length()) {
                throw error("a string is not closed");
            }
            char c = text.charAt(at);
            if (c == '"') {
                String tail = text.substring(start, at++);
                return out == null ? tail : out.append(tail).toString();
            }
            if (c < 0x20) {
                throw error("a control character (code " + (int) c + ") in a string must be escaped");
            }
            if (c != '\\') {
                at++;
                continue;
            }
            if (out == null) {
                out = new StringBuilder();
            }
            out.append(text, start, at);
            at++;
            out.append(escaped(next()));
            start = at;
        }
    }

    private char escaped(char c) throws IOException {
        int index = SHORT.indexOf(c);
        if (index >= 0) {
            return MEANS.charAt(index);
        }
        if (c != 'u') {
            at--;
            throw error("unknown escape '\\" + c + "'");
        }
        if (at + 4 > text.length()) {
            throw error("a \\u escape needs four hex digits");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(at++), 16);
            if (digit < 0) {
                at--;
                throw error("a \\u escape needs four hex digits");
            }
            code = code * 16 + digit;
        }
        return (char) code;
    }

    private Object number() throws IOException {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        if (peek() == '0') {
            at++;
            if (at < text.length() && Character.isDigit(text.charAt(at))) {
                throw error("leading zeroes are not allowed in a number");
            }
        } else {
            digits();
        }
        boolean whole = true;
        if (at < text.length() && text.charAt(at) == '.') {
            whole = false;
            at++;
            digits();
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            whole = false;
            at++;
            if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
                at++;
            }
            digits();
        }
        if (at - start > MAX_NUMBER_LENGTH) {
            at = start;
            throw error("a number longer than " + MAX_NUMBER_LENGTH + " characters");
        }
        String number = text.substring(start, at);
        if (!whole) {
            return Double.parseDouble(number);
        }
        // Up to 18 digits always fit a long; more may not.
        return number.length() <= 18 ? (Object) Long.parseLong(number) : longOrBig(new BigInteger(number));
    }

    private static Object longOrBig(BigInteger number) {
        return number.bitLength() < 64 ? (Object) number.longValue() : number;
    }

    private void digits() throws IOException {
        int start = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        if (at == start) {
            throw error("expected a digit");
        }
    }

    private Object word(String word, Object value) throws IOException {
        if (!text.startsWith(word, at)) {
            throw error("unexpected word");
        }
        at += word.length();
        return value;
    }

    private void skipSpace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    private char peek() throws IOException {
        if (at >= text.length()) {
            throw error("the JSON text ends too soon");
        }
        return text.charAt(at);
    }

    private char next() throws IOException {
        char c = peek();
        at++;
        return c;
    }

    private void expect(char c) throws IOException {
        if (next() != c) {
            at--;
            throw error("expected '" + c + "'");
        }
    }

    private IOException error(String what) {
        return new IOException(what + " at column " + (at + 1));
    }

    /** Appends a string as JSON, quoted and escaped as jackson-core escapes it. */
    static void string(StringBuilder out, String value) {
        out.append('"');
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(value, start, i).append('\\');
            int index = MEANS.indexOf(c);
            if (index >= 0) {
                out.append(SHORT.charAt(index));
            } else {
                out.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
            start = i + 1;
        }
        out.append(value, start, value.length()).append('"');
    }
}
