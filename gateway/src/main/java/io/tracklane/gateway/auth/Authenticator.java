package io.tracklane.gateway.auth;

import io.tracklane.core.auth.TokenRejected;
import io.tracklane.core.auth.VerifiedToken;
import io.tracklane.gateway.access.UserStatus;
import io.vertx.core.Future;

/**
 * The one check every device session and ingest request passes: the token verifies against the
 * current keys ({@link TokenRejected} otherwise), and its user is active ({@link UserDeactivated}
 * otherwise). A failed user lookup fails with {@link UserCheckFailed}: the caller answers "retry
 * later".
 */
public final class Authenticator {
  private final JwksVerifier verifier;
  private final UserStatus users;

  public Authenticator(JwksVerifier verifier, UserStatus users) {
    this.verifier = verifier;
    this.users = users;
  }

  public Future<VerifiedToken> authenticate(String token) {
    return verifier
        .verifyToken(token)
        .compose(
            t ->
                users
                    .isActive(t.principal().subject())
                    .recover(err -> Future.failedFuture(new UserCheckFailed(err)))
                    .compose(
                        active ->
                            active
                                ? Future.succeededFuture(t)
                                : Future.failedFuture(new UserDeactivated())));
  }

  public JwksVerifier verifier() {
    return verifier;
  }

  public UserStatus users() {
    return users;
  }
}
