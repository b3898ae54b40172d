package io.tracklane.backoffice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.common.MutableClock;
import io.tracklane.core.auth.Principal;
import io.tracklane.core.auth.TokenRejected;
import io.tracklane.core.auth.TokenVerifier;
import io.tracklane.devkit.DevSigningKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenIssuerTest {
  private static BackofficeConfig config(JsonObject signingKey) {
    return BackofficeConfig.of(Map.of(BackofficeSettings.SIGNING_KEY.env(), signingKey.encode()));
  }

  @Test
  void issuesVerifiableTokensStampedByTheClock() {
    DevSigningKeys keys = DevSigningKeys.generate();
    MutableClock clock = new MutableClock();
    TokenIssuer issuer = new TokenIssuer(config(keys.privateJwk()), clock);
    TokenIssuer.AccessToken token = issuer.issue("user-1", "manager");
    assertEquals(clock.instant(), token.issuedAt());
    assertEquals(clock.instant().plusSeconds(900), token.expiresAt());
    assertEquals(900, token.expiresIn());
    assertFalse(token.toString().contains(token.token()), "toString never shows the token");

    TokenVerifier verifier = TokenVerifier.fromJwks(issuer.jwks(), "tracklane", "tracklane");
    assertEquals(new Principal("user-1", "manager"), verifier.verify(token.token()));
    assertEquals(keys.kid(), LoginTest.part(token.token(), 0).getString("kid"));
  }

  @Test
  void aTokenStampedTwoHoursAgoHasExpired() {
    DevSigningKeys keys = DevSigningKeys.generate();
    MutableClock past = new MutableClock(new MutableClock().instant().minus(Duration.ofHours(2)));
    TokenIssuer issuer = new TokenIssuer(config(keys.privateJwk()), past);
    TokenVerifier verifier = TokenVerifier.fromJwks(issuer.jwks(), "tracklane", "tracklane");
    String stale = issuer.issue("u", "rider").token();
    TokenRejected e = assertThrows(TokenRejected.class, () -> verifier.verify(stale));
    assertTrue(e.getMessage().contains("expired"), e.getMessage());
  }

  @Test
  void aKeyWithoutKidGetsItsThumbprintAndAJwksWrapperIsAccepted() {
    JsonObject jwk = DevSigningKeys.generate().privateJwk();
    jwk.remove("kid");
    jwk.remove("alg");
    TokenIssuer issuer =
        new TokenIssuer(
            config(new JsonObject().put("keys", new JsonArray().add(jwk))), new MutableClock());
    assertEquals(TokenIssuer.thumbprint(jwk), issuer.kid());
    assertEquals(43, issuer.kid().length());
    JsonObject published = issuer.jwks().getJsonArray("keys").getJsonObject(0);
    assertEquals(issuer.kid(), published.getString("kid"));
    assertEquals("ES256", published.getString("alg"));
    assertFalse(published.containsKey("d"));
  }

  @Test
  void theThumbprintDependsOnlyOnTheRequiredMembers() {
    // RFC 7638: only crv, kty, x, y count, in lexicographic order, whatever the JWK's own order.
    JsonObject jwk =
        new JsonObject()
            .put("kty", "EC")
            .put("crv", "P-256")
            .put("x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU")
            .put("y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");
    JsonObject reordered =
        new JsonObject()
            .put("y", jwk.getString("y"))
            .put("x", jwk.getString("x"))
            .put("crv", "P-256")
            .put("kty", "EC")
            .put("use", "sig");
    assertEquals(TokenIssuer.thumbprint(jwk), TokenIssuer.thumbprint(reordered));
  }

  @Test
  void unusableSigningKeysFailAtInitWithoutEchoingTheKey() {
    JsonObject privateJwk = DevSigningKeys.generate().privateJwk();
    String d = privateJwk.getString("d");
    for (String bad :
        new String[] {
          "not json",
          new JsonObject().put("kty", "RSA").put("n", "x").put("e", "AQAB").put("d", d).encode(),
          privateJwk.copy().put("crv", "P-384").encode(),
          DevSigningKeys.generate().publicJwk().encode(),
          privateJwk.copy().put("alg", "HS256").encode(),
          new JsonObject()
              .put("keys", new JsonArray().add(DevSigningKeys.generate().publicJwk()))
              .encode()
        }) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  new TokenIssuer(
                      BackofficeConfig.of(Map.of(BackofficeSettings.SIGNING_KEY.env(), bad)),
                      new MutableClock()));
      assertFalse(e.getMessage().contains(d), e.getMessage());
      assertTrue(e.getMessage().contains(BackofficeSettings.SIGNING_KEY.env()), e.getMessage());
    }
    assertThrows(
        IllegalStateException.class,
        () -> new TokenIssuer(BackofficeConfig.of(Map.of()), new MutableClock()));
  }
}
