package dev.mayfly.store;

/**
 * Where a supervisor's loopback control endpoint listens, and the token a caller must send
 * ({@code Authorization: Bearer TOKEN}). Only processes of the same machine reach it.
 *
 * @param url its base, {@code http://127.0.0.1:PORT}
 */
public record ControlAddress(String url, String token) {}
