package io.tracklane.gateway.auth;

/** A valid token of a user whose account is deactivated (or gone): 403, MQTT "not authorized". */
public final class UserDeactivated extends RuntimeException {
  public UserDeactivated() {
    super("user is deactivated", null, false, false);
  }
}
