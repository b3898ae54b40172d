package io.tracklane.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JWT rules, each with a token built to break exactly one of them. */
class TokenVerifierTest {
  private static final String ISSUER = "tracklane";
  private static final String AUDIENCE = "tracklane-api";
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static ECKey ecKey;
  private static ECKey otherEcKey;
  private static RSAKey rsaKey;
  private static TokenVerifier verifier;

  @BeforeAll
  static void keys() throws Exception {
    ecKey = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    otherEcKey = new ECKeyGenerator(Curve.P_256).keyID("ec-2").generate();
    rsaKey = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    verifier =
        TokenVerifier.fromJwks(
            jwks(ecKey.toPublicJWK().toJSONString(), rsaKey.toPublicJWK().toJSONString()),
            ISSUER,
            AUDIENCE,
            CLOCK);
  }

  private static JsonObject jwks(String... keys) {
    JsonArray array = new JsonArray();
    for (String k : keys) array.add(new JsonObject(k));
    return new JsonObject().put("keys", array);
  }

  /** Good claims: sub, role, iss, aud, iat now, exp in 15 minutes. */
  private static JsonObject claims() {
    return new JsonObject()
        .put("sub", "user-1")
        .put("role", "rider")
        .put("iss", ISSUER)
        .put("aud", AUDIENCE)
        .put("iat", NOW.getEpochSecond())
        .put("exp", NOW.getEpochSecond() + 900);
  }

  private static String sign(JWSAlgorithm alg, String kid, JWSSigner signer, JsonObject claims)
      throws Exception {
    JWSObject jws =
        new JWSObject(
            new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(),
            new Payload(claims.encode()));
    jws.sign(signer);
    return jws.serialize();
  }

  private static String es256(JsonObject claims) throws Exception {
    return sign(JWSAlgorithm.ES256, ecKey.getKeyID(), new ECDSASigner(ecKey), claims);
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Refused with a message containing {@code why}, and without any part of the token. */
  private static void assertRefused(String token, String why) {
    TokenRejected e = assertThrows(TokenRejected.class, () -> verifier.verifyToken(token));
    assertTrue(e.getMessage().contains(why), e.getMessage());
    for (String part : token.split("\\.")) {
      if (part.length() > 8) assertFalse(e.getMessage().contains(part), e.getMessage());
    }
  }

  @Test
  void aGoodEs256TokenGivesItsPrincipalAndExpiry() throws Exception {
    VerifiedToken t = verifier.verifyToken(es256(claims()));
    assertEquals(new Principal("user-1", "rider"), t.principal());
    assertEquals((NOW.getEpochSecond() + 900) * 1000L, t.expiresAtMs());
  }

  @Test
  void aGoodRs256TokenVerifies() throws Exception {
    String token = sign(JWSAlgorithm.RS256, rsaKey.getKeyID(), new RSASSASigner(rsaKey), claims());
    assertEquals(new Principal("user-1", "rider"), verifier.verify(token));
  }

  @Test
  void anAudienceListContainingOursIsAccepted() throws Exception {
    JsonObject c = claims().put("aud", new JsonArray().add("someone-else").add(AUDIENCE));
    assertEquals("user-1", verifier.verify(es256(c)).subject());
  }

  @Test
  void unsignedAlgNoneTokensAreRefused() throws Exception {
    String payload = b64(claims().encode());
    assertRefused(b64("{\"alg\":\"none\"}") + "." + payload + ".", "alg none");
    assertRefused(
        b64("{\"alg\":\"none\",\"kid\":\"" + ecKey.getKeyID() + "\",\"typ\":\"JWT\"}")
            + "."
            + payload
            + ".",
        "alg none");
    // the signature of a real token does not make an alg-none header any better
    String good = es256(claims());
    assertRefused(
        b64("{\"alg\":\"none\"}") + "." + payload + "." + good.split("\\.")[2], "not a JWT");
  }

  @Test
  void hmacTokensAreRefusedEvenWhenKeyedWithThePublicKey() throws Exception {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    assertRefused(sign(JWSAlgorithm.HS256, null, new MACSigner(secret), claims()), "HS256");
    // the classic confusion: HMAC with the published public key as the secret
    byte[] publicKeyBytes = ecKey.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
    assertRefused(
        sign(JWSAlgorithm.HS256, ecKey.getKeyID(), new MACSigner(publicKeyBytes), claims()),
        "HS256");
    assertRefused(
        sign(JWSAlgorithm.HS512, ecKey.getKeyID(), new MACSigner(new byte[64]), claims()), "HS512");
  }

  @Test
  void otherAsymmetricAlgorithmsAreRefused() throws Exception {
    assertRefused(
        sign(JWSAlgorithm.PS256, rsaKey.getKeyID(), new RSASSASigner(rsaKey), claims()),
        "PS256 is not accepted");
  }

  @Test
  void theWrongIssuerOrAudienceIsRefused() throws Exception {
    assertRefused(es256(claims().put("iss", "someone-else")), "wrong issuer");
    JsonObject noIss = claims();
    noIss.remove("iss");
    assertRefused(es256(noIss), "wrong issuer");
    assertRefused(es256(claims().put("aud", "other-service")), "wrong audience");
    JsonObject noAud = claims();
    noAud.remove("aud");
    assertRefused(es256(noAud), "wrong audience");
  }

  @Test
  void anExpiredTokenIsRefusedAfterTheLeeway() throws Exception {
    long now = NOW.getEpochSecond();
    assertRefused(es256(claims().put("iat", now - 7200).put("exp", now - 3600)), "expired");
    assertRefused(es256(claims().put("exp", now - TokenVerifier.LEEWAY_SECONDS)), "expired");
    // within the leeway: a clock a little behind the issuer's does not lock anyone out
    assertEquals(
        "user-1",
        verifier
            .verify(es256(claims().put("exp", now - TokenVerifier.LEEWAY_SECONDS + 1)))
            .subject());
  }

  @Test
  void aTokenWithoutExpiryIsRefused() throws Exception {
    JsonObject c = claims();
    c.remove("exp");
    assertRefused(es256(c), "no expiry (exp)");
  }

  @Test
  void aTokenFromTheFutureIsRefused() throws Exception {
    long now = NOW.getEpochSecond();
    assertRefused(es256(claims().put("nbf", now + 300)), "nbf");
    assertRefused(es256(claims().put("iat", now + 300)), "iat");
    assertEquals("user-1", verifier.verify(es256(claims().put("nbf", now + 20))).subject());
  }

  @Test
  void aTokenWithoutSubjectOrRoleIsRefused() throws Exception {
    JsonObject noSub = claims();
    noSub.remove("sub");
    assertRefused(es256(noSub), "no subject");
    JsonObject noRole = claims();
    noRole.remove("role");
    assertRefused(es256(noRole), "no role");
    assertRefused(es256(claims().put("role", 7)), "no role");
  }

  @Test
  void forgedTamperedAndGarbageTokensAreRefused() throws Exception {
    // another key claiming our kid
    assertRefused(
        sign(JWSAlgorithm.ES256, ecKey.getKeyID(), new ECDSASigner(otherEcKey), claims()),
        "bad signature");
    String[] good = es256(claims()).split("\\.");
    String raised = b64(claims().put("role", "admin").encode());
    assertRefused(good[0] + "." + raised + "." + good[2], "bad signature");
    assertRefused("not.a.jwt", "not a JWT");
    assertRefused("garbage", "not a JWT");
    assertEquals(
        "missing token", assertThrows(TokenRejected.class, () -> verifier.verify("")).getMessage());
    assertThrows(TokenRejected.class, () -> verifier.verify(null));
  }

  @Test
  void theKeyIsChosenByKid() throws Exception {
    TokenVerifier two =
        TokenVerifier.fromJwks(
            jwks(ecKey.toPublicJWK().toJSONString(), otherEcKey.toPublicJWK().toJSONString()),
            ISSUER,
            AUDIENCE,
            CLOCK);
    assertEquals(Set.of("ec-1", "ec-2"), two.keyIds());
    String byOther =
        sign(JWSAlgorithm.ES256, otherEcKey.getKeyID(), new ECDSASigner(otherEcKey), claims());
    assertEquals("user-1", two.verify(byOther).subject());
    // signed by ec-2 but naming ec-1: checked with ec-1 only, so refused
    String misnamed =
        sign(JWSAlgorithm.ES256, ecKey.getKeyID(), new ECDSASigner(otherEcKey), claims());
    assertThrows(TokenRejected.class, () -> two.verify(misnamed));
    // a kid nobody has: refused, naming the unknown key
    assertRefused(
        sign(JWSAlgorithm.ES256, "ec-9", new ECDSASigner(ecKey), claims()), "does not know");
    // no kid at all: any key of the algorithm may vouch for it
    assertEquals(
        "user-1",
        two.verify(sign(JWSAlgorithm.ES256, null, new ECDSASigner(otherEcKey), claims()))
            .subject());
  }

  @Test
  void privateKeyMaterialIsDroppedOnTheWayIn() throws Exception {
    JsonObject privateJwks = jwks(ecKey.toJSONString(), rsaKey.toJSONString());
    String before = privateJwks.encode();
    TokenVerifier fromPrivate = TokenVerifier.fromJwks(privateJwks, ISSUER, AUDIENCE, CLOCK);
    assertEquals(before, privateJwks.encode(), "the caller's JWKS is left as it was");
    String held = fromPrivate.publicJwks().encode();
    assertEquals(2, fromPrivate.publicJwks().getJsonArray("keys").size());
    for (String member : new String[] {"\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\""})
      assertFalse(held.contains(member), held);
    assertEquals("user-1", fromPrivate.verify(es256(claims())).subject());
  }

  @Test
  void aJwksWithoutUsableKeysIsRefusedAtOnce() {
    assertThrows(
        IllegalArgumentException.class,
        () -> TokenVerifier.fromJwks(new JsonObject(), ISSUER, AUDIENCE));
    assertThrows(
        IllegalArgumentException.class, () -> TokenVerifier.fromJwks(jwks(), ISSUER, AUDIENCE));
    JsonObject octOnly =
        jwks(new JsonObject().put("kty", "oct").put("k", b64("secret-secret")).encode());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TokenVerifier.fromJwks(octOnly, ISSUER, AUDIENCE));
    assertFalse(e.getMessage().contains(b64("secret-secret")));
    JsonObject broken = jwks(new JsonObject().put("kty", "EC").put("crv", "P-256").encode());
    assertThrows(
        IllegalArgumentException.class, () -> TokenVerifier.fromJwks(broken, ISSUER, AUDIENCE));
  }

  @Test
  void keyIdOfReadsTheHeaderOnly() throws Exception {
    assertEquals("ec-1", TokenVerifier.keyIdOf(es256(claims())));
    assertNull(TokenVerifier.keyIdOf("garbage"));
    assertNull(TokenVerifier.keyIdOf(null));
    assertNull(TokenVerifier.keyIdOf(b64("{\"alg\":\"ES256\"}") + ".e30.x"));
  }
}
