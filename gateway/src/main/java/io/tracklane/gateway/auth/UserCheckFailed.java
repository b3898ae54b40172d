package io.tracklane.gateway.auth;

/**
 * The user's status could not be read (Postgres unreachable): retry later. The cause stays in logs.
 */
public final class UserCheckFailed extends RuntimeException {
  public UserCheckFailed(Throwable cause) {
    super("cannot check the account now; retry later", cause, false, false);
  }
}
