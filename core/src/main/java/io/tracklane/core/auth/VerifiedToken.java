package io.tracklane.core.auth;

/**
 * A token that passed {@link TokenVerifier}: who it speaks for and when it expires. A session held
 * open on the strength of the token (an MQTT connection, a live stream) ends at {@code
 * expiresAtMs}.
 */
public record VerifiedToken(Principal principal, long expiresAtMs) {}
