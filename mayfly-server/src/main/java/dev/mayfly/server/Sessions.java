package dev.mayfly.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may use the dashboard: a browser logs in once, with a one-time link {@code mayfly serve}
 * prints (as Jupyter does) or with the API token, and then carries a session cookie. The cookie is
 * HttpOnly (the page's scripts cannot read it) and SameSite=Strict (another site's page cannot make
 * the browser send it). Sessions live as long as the server.
 */
final class Sessions {

    static final String COOKIE = "mayfly_session";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] token;
    private final Set<String> oneTimeCodes = ConcurrentHashMap.newKeySet();
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();

    Sessions(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** A new code that logs one browser in, once. */
    String oneTimeCode() {
        String code = random();
        oneTimeCodes.add(code);
        return code;
    }

    /** A session for the holder of this one-time code, which is then used up. */
    Optional<String> redeem(String code) {
        return code != null && oneTimeCodes.remove(code) ? Optional.of(newSession()) : Optional.empty();
    }

    /** A session for the holder of the API token. */
    Optional<String> login(String givenToken) {
        return givenToken != null && tokenMatches(givenToken) ? Optional.of(newSession()) : Optional.empty();
    }

    /** Whether the value is the API token (compared in constant time). */
    boolean tokenMatches(String given) {
        return MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a request's Cookie header carries a live session. */
    boolean valid(String cookieHeader) {
        if (cookieHeader == null) {
            return false;
        }
        for (String cookie : cookieHeader.split(";")) {
            String trimmed = cookie.trim();
            if (trimmed.startsWith(COOKIE + "=") && sessions.contains(trimmed.substring(COOKIE.length() + 1))) {
                return true;
            }
        }
        return false;
    }

    static String setCookie(String session) {
        return COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Strict";
    }

    private String newSession() {
        String session = random();
        sessions.add(session);
        return session;
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
