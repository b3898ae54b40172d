package io.tracklane.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.auth.Principal;
import io.tracklane.core.auth.TokenRejected;
import io.tracklane.core.auth.TokenVerifier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevSigningKeysTest {

  private static final String ISSUER = "https://auth.tracklane.test";
  private static final String AUDIENCE = "tracklane-gateway";

  /** The project's verifier, knowing only the public key, as the gateway will. */
  private static TokenVerifier verifier(JsonObject publicJwk) {
    return TokenVerifier.fromJwks(
        new JsonObject().put("keys", new JsonArray().add(publicJwk)), ISSUER, AUDIENCE);
  }

  /** Part {@code i} of a compact JWT (0 header, 1 claims) as JSON. */
  private static JsonObject part(String token, int i) {
    return new JsonObject(
        new String(Base64.getUrlDecoder().decode(token.split("\\.")[i]), StandardCharsets.UTF_8));
  }

  @Test
  void jwksHaveTheRfc7518Shape() {
    DevSigningKeys keys = DevSigningKeys.generate();
    JsonObject priv = keys.privateJwk();
    JsonObject pub = keys.publicJwk();

    assertEquals("EC", pub.getString("kty"));
    assertEquals("P-256", pub.getString("crv"));
    assertEquals("ES256", pub.getString("alg"));
    assertEquals("sig", pub.getString("use"));
    assertEquals(keys.kid(), pub.getString("kid"));
    assertFalse(pub.containsKey("d"), "public JWK must not leak d");
    for (String field : List.of("x", "y", "d")) {
      String v = priv.getString(field);
      assertFalse(v.contains("=") || v.contains("+") || v.contains("/"), field + " not base64url");
      assertEquals(32, Base64.getUrlDecoder().decode(v).length, field + " must be 32 bytes");
    }
    JsonObject privWithoutD = priv.copy();
    privWithoutD.remove("d");
    assertEquals(pub, privWithoutD);
    JsonArray jwks = keys.jwks().getJsonArray("keys");
    assertEquals(1, jwks.size());
    assertEquals(pub, jwks.getJsonObject(0));
    assertNotEquals(keys.kid(), DevSigningKeys.generate().kid());
  }

  @Test
  void mintedTokenVerifiesWithThePublicKeyOnly() throws Exception {
    DevSigningKeys keys = DevSigningKeys.generate();
    TokenMinter minter = keys.minter(ISSUER, AUDIENCE);
    String token = minter.mint("courier-42", "courier", Duration.ofMinutes(5));

    JsonObject header = part(token, 0);
    assertEquals("ES256", header.getString("alg"));
    assertEquals(keys.kid(), header.getString("kid"));

    assertEquals(new Principal("courier-42", "courier"), verifier(keys.publicJwk()).verify(token));
    JsonObject claims = part(token, 1);
    assertEquals(ISSUER, claims.getString("iss"));
    assertEquals(300, claims.getLong("exp") - claims.getLong("iat"));
    assertEquals(AUDIENCE, claims.getValue("aud"));
  }

  @Test
  void extraClaimsAreCarried() throws Exception {
    DevSigningKeys keys = DevSigningKeys.generate();
    String token =
        keys.minter(ISSUER, AUDIENCE)
            .mint(
                new JsonObject().put("role", "dispatcher").put("tenant", "acme"),
                "user-1",
                Duration.ofSeconds(60));
    assertEquals(new Principal("user-1", "dispatcher"), verifier(keys.publicJwk()).verify(token));
    assertEquals("acme", part(token, 1).getString("tenant"));
  }

  @Test
  void tokenFromAnotherKeyPairIsRejected() {
    DevSigningKeys trusted = DevSigningKeys.generate();
    DevSigningKeys other = DevSigningKeys.generate();
    String token = other.minter(ISSUER, AUDIENCE).mint("mallory", "admin", Duration.ofMinutes(5));
    assertThrows(TokenRejected.class, () -> verifier(trusted.publicJwk()).verify(token));
  }

  @Test
  void expiredTokenIsRejected() throws Exception {
    DevSigningKeys keys = DevSigningKeys.generate();
    TokenMinter minter = keys.minter(ISSUER, AUDIENCE);
    String expired = minter.mintExpired("courier-42", "courier");
    TokenRejected e =
        assertThrows(TokenRejected.class, () -> verifier(keys.publicJwk()).verify(expired));
    assertTrue(e.getMessage().contains("expired"), e.getMessage());
    JsonObject claims = part(expired, 1);
    assertTrue(claims.getLong("exp") < System.currentTimeMillis() / 1000 - 3_000);
  }

  @Test
  void wrongAudienceIsRejected() {
    DevSigningKeys keys = DevSigningKeys.generate();
    String token =
        keys.minter(ISSUER, "some-other-service")
            .mint("courier-42", "courier", Duration.ofMinutes(5));
    TokenRejected e =
        assertThrows(TokenRejected.class, () -> verifier(keys.publicJwk()).verify(token));
    assertTrue(e.getMessage().contains("audience"), e.getMessage());
  }

  @Test
  void loadOrCreateKeepsOneKey(@TempDir Path dir) throws Exception {
    Path keyDir = dir.resolve("keys");
    DevSigningKeys first = DevSigningKeys.loadOrCreate(keyDir);
    DevSigningKeys second = DevSigningKeys.loadOrCreate(keyDir);

    assertEquals(first.kid(), second.kid());
    assertEquals(first.privateJwk(), second.privateJwk());

    Path privateFile = keyDir.resolve(DevSigningKeys.PRIVATE_JWK_FILE);
    assertEquals(first.privateJwk(), new JsonObject(Files.readString(privateFile)));
    JsonObject jwks = new JsonObject(Files.readString(keyDir.resolve(DevSigningKeys.JWKS_FILE)));
    assertEquals(first.jwks(), jwks);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(privateFile)));
    }

    // A stale public JWKS is repaired from the private key.
    Files.writeString(keyDir.resolve(DevSigningKeys.JWKS_FILE), "{\"keys\":[]}");
    assertEquals(first.kid(), DevSigningKeys.loadOrCreate(keyDir).kid());
    assertEquals(
        first.jwks(), new JsonObject(Files.readString(keyDir.resolve(DevSigningKeys.JWKS_FILE))));

    // A token minted with the reloaded key verifies against the JWKS written by the first run.
    String token = second.minter(ISSUER, AUDIENCE).mint("u", "courier", Duration.ofMinutes(1));
    JsonObject publicJwk = jwks.getJsonArray("keys").getJsonObject(0);
    assertEquals("u", verifier(publicJwk).verify(token).subject());
  }

  @Test
  void writeJwksWritesPublicKeysOnly(@TempDir Path dir) throws Exception {
    DevSigningKeys keys = DevSigningKeys.generate();
    Path file = keys.writeJwks(dir.resolve("nested/jwks.json"));
    JsonObject written = new JsonObject(Files.readString(file));
    assertEquals(keys.jwks(), written);
    assertFalse(Files.readString(file).contains("\"d\""));
  }
}
