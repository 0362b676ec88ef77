package dev.mayfly.config;

import dev.mayfly.errors.UsageException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Decodes text the user gave (a prompt, a batch line) as UTF-8, refusing what is not: a replaced
 * character would change the prompt silently, and the JDK's own error ("Input length = 1") names
 * neither the byte nor where it is.
 */
public final class StrictUtf8 {

    private StrictUtf8() {}

    /**
     * @param what what the bytes are, for the error: "--prompt-file notes.txt"
     * @throws UsageException naming the first byte that is not UTF-8 and its position (from 1)
     */
    public static String decode(String what, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int position = in.position();
            throw new UsageException(String.format(Locale.ROOT,
                    "%s is not UTF-8 text: byte 0x%02X at position %d; save it as UTF-8", what, bytes[position] & 0xff,
                    position + 1));
        }
        decoder.flush(out);
        return out.flip().toString();
    }
}
