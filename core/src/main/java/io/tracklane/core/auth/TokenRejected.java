package io.tracklane.core.auth;

/** A token that is missing, malformed, forged, expired or for another issuer/audience. */
public final class TokenRejected extends RuntimeException {
  public TokenRejected(String message) {
    super(message, null, false, false);
  }
}
