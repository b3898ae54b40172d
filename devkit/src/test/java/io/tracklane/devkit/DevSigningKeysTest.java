package io.tracklane.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevSigningKeysTest {

  private static final String ISSUER = "https://auth.tracklane.test";
  private static final String AUDIENCE = "tracklane-gateway";

  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A verifier that knows only the public key, as the gateway will. */
  private static JWTAuth verifier(JsonObject publicJwk) {
    return JWTAuth.create(
        vertx,
        new JWTAuthOptions()
            .addJwk(publicJwk)
            .setJWTOptions(new JWTOptions().setIssuer(ISSUER).setAudience(List.of(AUDIENCE))));
  }

  private static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
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
    TokenMinter minter = keys.minter(vertx, ISSUER, AUDIENCE);
    String token = minter.mint("courier-42", "courier", Duration.ofMinutes(5));

    JsonObject header =
        new JsonObject(
            new String(
                Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                StandardCharsets.UTF_8));
    assertEquals("ES256", header.getString("alg"));
    assertEquals(keys.kid(), header.getString("kid"));

    User user = await(verifier(keys.publicJwk()).authenticate(new TokenCredentials(token)));
    JsonObject principal = user.principal();
    assertEquals("courier-42", principal.getString("sub"));
    assertEquals("courier", principal.getString("role"));
    assertEquals(ISSUER, principal.getString("iss"));
    // vertx-auth-jwt moves exp/iat out of the principal into the attributes.
    JsonObject claims = user.attributes().getJsonObject("accessToken");
    assertEquals(300, claims.getLong("exp") - claims.getLong("iat"));
    assertEquals(AUDIENCE, claims.getValue("aud"));
  }

  @Test
  void extraClaimsAreCarried() throws Exception {
    DevSigningKeys keys = DevSigningKeys.generate();
    String token =
        keys.minter(vertx, ISSUER, AUDIENCE)
            .mint(
                new JsonObject().put("role", "dispatcher").put("tenant", "acme"),
                "user-1",
                Duration.ofSeconds(60));
    JsonObject principal =
        await(verifier(keys.publicJwk()).authenticate(new TokenCredentials(token))).principal();
    assertEquals("acme", principal.getString("tenant"));
    assertEquals("dispatcher", principal.getString("role"));
    assertEquals("user-1", principal.getString("sub"));
  }

  @Test
  void tokenFromAnotherKeyPairIsRejected() {
    DevSigningKeys trusted = DevSigningKeys.generate();
    DevSigningKeys other = DevSigningKeys.generate();
    String token =
        other.minter(vertx, ISSUER, AUDIENCE).mint("mallory", "admin", Duration.ofMinutes(5));
    assertThrows(
        Exception.class,
        () -> await(verifier(trusted.publicJwk()).authenticate(new TokenCredentials(token))));
  }

  @Test
  void expiredTokenIsRejected() throws Exception {
    DevSigningKeys keys = DevSigningKeys.generate();
    TokenMinter minter = keys.minter(vertx, ISSUER, AUDIENCE);
    String expired = minter.mintExpired("courier-42", "courier");
    Exception e =
        assertThrows(
            Exception.class,
            () -> await(verifier(keys.publicJwk()).authenticate(new TokenCredentials(expired))));
    assertTrue(String.valueOf(e.getMessage()).toLowerCase().contains("expired"), e.toString());
  }

  @Test
  void wrongAudienceIsRejected() {
    DevSigningKeys keys = DevSigningKeys.generate();
    String token =
        keys.minter(vertx, ISSUER, "some-other-service")
            .mint("courier-42", "courier", Duration.ofMinutes(5));
    assertThrows(
        Exception.class,
        () -> await(verifier(keys.publicJwk()).authenticate(new TokenCredentials(token))));
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
    String token =
        second.minter(vertx, ISSUER, AUDIENCE).mint("u", "courier", Duration.ofMinutes(1));
    JsonObject publicJwk = jwks.getJsonArray("keys").getJsonObject(0);
    assertEquals(
        "u",
        await(verifier(publicJwk).authenticate(new TokenCredentials(token)))
            .principal()
            .getString("sub"));
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
