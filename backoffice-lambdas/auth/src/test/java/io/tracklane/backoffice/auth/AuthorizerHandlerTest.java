package io.tracklane.backoffice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.core.auth.Permissions;
import io.tracklane.core.auth.Principal;
import io.tracklane.devkit.DevSigningKeys;
import io.tracklane.devkit.TokenMinter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthorizerHandlerTest {
  /** Partitions are data here too: tests build ARNs from parts, like the handler does. */
  private static final String CHINA = "aws-cn";

  private static final String GLOBAL = "aws";
  private static final String GOV = "aws-us-gov";
  private static final String ISSUER = "tracklane";
  private static final String AUDIENCE = "tracklane";

  private static DevSigningKeys keys;
  private static TokenMinter minter;
  private static AuthorizerHandler authorizer;

  @BeforeAll
  static void init() {
    keys = DevSigningKeys.generate();
    minter = keys.minter(ISSUER, AUDIENCE);
    authorizer =
        new AuthorizerHandler(
            BackofficeConfig.of(
                Map.of(BackofficeSettings.SIGNING_KEY.env(), keys.privateJwk().encode())));
  }

  static String arn(String partition, String region, String stage, String method, String path) {
    return "arn:"
        + partition
        + ":execute-api:"
        + region
        + ":123456789012:abcdef1234/"
        + stage
        + "/"
        + method
        + path;
  }

  private static APIGatewayCustomAuthorizerEvent tokenEvent(
      String authorization, String methodArn) {
    APIGatewayCustomAuthorizerEvent e = new APIGatewayCustomAuthorizerEvent();
    e.setType("TOKEN");
    e.setAuthorizationToken(authorization);
    e.setMethodArn(methodArn);
    return e;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> statements(IamPolicyResponse policy) {
    // The map form API Gateway receives: Statement (and Resource) are arrays.
    return List.of((Map<String, Object>[]) policy.getPolicyDocument().get("Statement"));
  }

  private static Set<String> allowed(IamPolicyResponse policy) {
    Set<String> resources = new java.util.HashSet<>();
    for (Map<String, Object> s : statements(policy)) {
      assertEquals("execute-api:Invoke", s.get("Action"));
      if (s.get("Effect").equals("Allow"))
        for (Object r : (Object[]) s.get("Resource")) resources.add(r.toString());
    }
    return resources;
  }

  @Test
  void aValidAdminTokenGetsEveryAdminOperationInTheChinaPartition() {
    String token = minter.mint("admin-1", "admin", Duration.ofMinutes(15));
    String methodArn = arn(CHINA, "cn-north-1", "prod", "GET", "/users/abc");

    IamPolicyResponse policy =
        authorizer.handleRequest(tokenEvent("Bearer " + token, methodArn), null);

    assertEquals("admin-1", policy.getPrincipalId());
    assertEquals(Map.of("userId", "admin-1", "role", "admin"), policy.getContext());
    assertEquals("2012-10-17", policy.getPolicyDocument().get("Version"));
    Set<String> resources = allowed(policy);
    String prefix = "arn:" + CHINA + ":execute-api:cn-north-1:123456789012:abcdef1234/prod/";
    assertEquals(Permissions.forRole("admin").size(), resources.size());
    assertTrue(resources.contains(prefix + "GET/users/*"), resources.toString());
    assertTrue(resources.contains(prefix + "PATCH/users/*"));
    assertTrue(resources.contains(prefix + "POST/routes"));
    assertTrue(resources.contains(prefix + "GET/tasks/*/events"));
    assertTrue(resources.contains(prefix + "POST/tasks/expire"));
    assertTrue(resources.contains(prefix + "GET/me"));
    for (String r : resources) {
      assertTrue(r.startsWith(prefix), r);
      assertFalse(r.contains("{") || r.contains("//"), r);
    }
    assertTrue(AuthorizerHandler.permits(policy, methodArn));
  }

  @Test
  void riderPoliciesLackStaffOperations() {
    String token = minter.mint("rider-7", "rider", Duration.ofMinutes(15));
    String methodArn = arn(GLOBAL, "eu-west-1", "v1", "POST", "/tasks/t-1/claim");
    IamPolicyResponse policy =
        authorizer.handleRequest(tokenEvent("Bearer " + token, methodArn), null);

    Set<String> resources = allowed(policy);
    String prefix = "arn:" + GLOBAL + ":execute-api:eu-west-1:123456789012:abcdef1234/v1/";
    assertTrue(resources.contains(prefix + "POST/tasks/*/claim"));
    assertTrue(resources.contains(prefix + "GET/riders/me/earnings"));
    assertFalse(resources.contains(prefix + "POST/routes"));
    assertFalse(resources.contains(prefix + "GET/users"));
    assertTrue(AuthorizerHandler.permits(policy, methodArn));
    assertFalse(
        AuthorizerHandler.permits(policy, prefix + "POST/routes"), "API Gateway answers 403");
    assertFalse(AuthorizerHandler.permits(policy, prefix + "GET/riders/r-2/earnings"));
    assertFalse(AuthorizerHandler.permits(policy, prefix + "GET/tasks/t-1/events"));
    assertTrue(AuthorizerHandler.permits(policy, prefix + "GET/tasks/t-1/track"));
    assertFalse(
        AuthorizerHandler.permits(
            policy, "arn:" + GLOBAL + ":execute-api:eu-west-1:123456789012:otherapi/v1/GET/me"));
  }

  @Test
  void policyForMatchesPermissionsForEveryRole() {
    String methodArn = arn(CHINA, "cn-northwest-1", "dev", "GET", "/me");
    for (String role : List.of("admin", "manager", "rider")) {
      IamPolicyResponse policy = AuthorizerHandler.policyFor(new Principal("u", role), methodArn);
      Set<String> resources = allowed(policy);
      assertEquals(Permissions.forRole(role).size(), resources.size(), role);
      for (var op : Permissions.protectedOperations()) {
        String concrete =
            arn(
                CHINA,
                "cn-northwest-1",
                "dev",
                op.method(),
                op.path().replaceAll("\\{[^}]+}", "x-1"));
        assertEquals(
            Permissions.allows(role, op.method(), op.path()),
            AuthorizerHandler.permits(policy, concrete),
            role + " " + op);
      }
    }
  }

  @Test
  void operationsAWildcardWouldWronglyCoverAreDeniedExplicitly() {
    String prefix = "arn:" + CHINA + ":execute-api:cn-north-1:123456789012:abcdef1234/prod/";
    String methodArn = prefix + "GET/me";
    IamPolicyResponse rider = AuthorizerHandler.policyFor(new Principal("r", "rider"), methodArn);
    // GET/tasks/* (any role) would match GET/tasks/x/events (staff only) without the Deny.
    assertEquals(List.of(prefix + "GET/tasks/*/events"), denied(rider));
    assertTrue(AuthorizerHandler.permits(rider, prefix + "GET/tasks/t-1"));
    assertFalse(AuthorizerHandler.permits(rider, prefix + "GET/tasks/t-1/events"));

    IamPolicyResponse admin = AuthorizerHandler.policyFor(new Principal("a", "admin"), methodArn);
    // GET/riders/*/earnings (staff) would match the rider-only GET/riders/me/earnings; the same for
    // a rider's own device list and revocation.
    assertEquals(
        java.util.Set.of(
            prefix + "GET/riders/me/earnings",
            prefix + "GET/riders/me/devices",
            prefix + "DELETE/riders/me/devices/*"),
        java.util.Set.copyOf(denied(admin)));
    assertTrue(AuthorizerHandler.permits(admin, prefix + "GET/riders/r-1/devices"));
    assertTrue(AuthorizerHandler.permits(admin, prefix + "DELETE/riders/r-1/devices/d-1"));
    assertFalse(AuthorizerHandler.permits(admin, prefix + "DELETE/riders/me/devices/d-1"));
    assertTrue(AuthorizerHandler.permits(admin, prefix + "GET/riders/r-1/earnings"));
    assertFalse(AuthorizerHandler.permits(admin, prefix + "GET/riders/me/earnings"));
    assertTrue(AuthorizerHandler.permits(admin, prefix + "GET/tasks/t-1/events"));
  }

  private static List<String> denied(IamPolicyResponse policy) {
    List<String> resources = new java.util.ArrayList<>();
    for (Map<String, Object> s : statements(policy)) {
      if (s.get("Effect").equals("Deny"))
        for (Object r : (Object[]) s.get("Resource")) resources.add(r.toString());
    }
    return resources;
  }

  @Test
  void anUnknownRoleIsDeniedEverything() {
    String methodArn = arn(CHINA, "cn-north-1", "prod", "GET", "/me");
    IamPolicyResponse policy =
        AuthorizerHandler.policyFor(new Principal("u", "auditor"), methodArn);
    Map<String, Object> statement = statements(policy).get(0);
    assertEquals("Deny", statement.get("Effect"));
    assertFalse(AuthorizerHandler.permits(policy, methodArn));
  }

  @Test
  void theStagePrefixIsCopiedFromTheMethodArn() {
    assertEquals(
        "arn:" + CHINA + ":execute-api:cn-north-1:123456789012:abcdef1234/prod/",
        AuthorizerHandler.stagePrefix(arn(CHINA, "cn-north-1", "prod", "GET", "/tasks/1/track")));
    assertEquals(
        "arn:" + GOV + ":execute-api:us-gov-west-1:1:api/$default/",
        AuthorizerHandler.stagePrefix(
            "arn:" + GOV + ":execute-api:us-gov-west-1:1:api/$default/GET/"));
    for (String bad :
        List.of(
            "",
            "arn",
            "arn:" + GLOBAL + ":lambda:us-east-1:1:function:f",
            "arn:" + GLOBAL + ":execute-api:us-east-1:1:api",
            "arn:" + GLOBAL + ":execute-api:us-east-1:1:api/prod")) {
      assertThrows(IllegalArgumentException.class, () -> AuthorizerHandler.stagePrefix(bad), bad);
    }
    String token = minter.mint("u", "admin", Duration.ofMinutes(5));
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> authorizer.handleRequest(tokenEvent("Bearer " + token, "garbage"), null));
    assertEquals("Unauthorized", e.getMessage());
  }

  @Test
  void expiredForgedAndGarbageTokensAreUnauthorized() throws Exception {
    String methodArn = arn(CHINA, "cn-north-1", "prod", "GET", "/me");
    DevSigningKeys other = DevSigningKeys.generate();
    // Same kid, other key: a forgery.
    JsonObject forgedJwk = other.privateJwk().put("kid", keys.kid());
    String forged =
        DevSigningKeys.fromPrivateJwk(forgedJwk)
            .minter(ISSUER, AUDIENCE)
            .mint("admin-1", "admin", Duration.ofMinutes(15));
    String good = minter.mint("admin-1", "admin", Duration.ofMinutes(15));
    String[] parts = good.split("\\.");
    String tampered =
        parts[0]
            + "."
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    new JsonObject()
                        .put("sub", "admin-1")
                        .put("role", "admin")
                        .put("iss", ISSUER)
                        .put("aud", AUDIENCE)
                        .put("exp", Instant.now().getEpochSecond() + 9999)
                        .encode()
                        .getBytes())
            + "."
            + parts[2];
    List<String> refused =
        new java.util.ArrayList<>(
            List.of(
                "Bearer " + minter.mintExpired("admin-1", "admin"),
                "Bearer " + forged,
                "Bearer " + tampered,
                "Bearer "
                    + keys.minter("someone-else", AUDIENCE)
                        .mint("admin-1", "admin", Duration.ofMinutes(5)),
                "Bearer "
                    + keys.minter(ISSUER, "other-audience")
                        .mint("admin-1", "admin", Duration.ofMinutes(5)),
                "Bearer " + unsigned(claims()),
                "Bearer " + hmacWithThePublicKey(claims()),
                "Bearer " + es256WithoutExp(),
                "Bearer not.a.jwt",
                "Bearer garbage",
                "Bearer ",
                "Basic dXNlcjpwYXNz",
                good,
                ""));
    refused.add(null);
    for (String authorization : refused) {
      RuntimeException e =
          assertThrows(
              RuntimeException.class,
              () -> authorizer.handleRequest(tokenEvent(authorization, methodArn), null),
              String.valueOf(authorization));
      assertEquals("Unauthorized", e.getMessage());
      assertEquals(RuntimeException.class, e.getClass());
    }
  }

  /** Claims the authorizer would accept from a good signature: sub, role, iss, aud, exp. */
  private static JsonObject claims() {
    return new JsonObject()
        .put("sub", "admin-1")
        .put("role", "admin")
        .put("iss", ISSUER)
        .put("aud", AUDIENCE)
        .put("exp", Instant.now().getEpochSecond() + 900);
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code alg: none}: no signature at all, naming our key id. */
  private static String unsigned(JsonObject claims) {
    return b64("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + keys.kid() + "\"}")
        + "."
        + b64(claims.encode())
        + ".";
  }

  /** HS256 keyed with the published public JWK: the algorithm-confusion forgery. */
  private static String hmacWithThePublicKey(JsonObject claims) throws Exception {
    JWSObject jws =
        new JWSObject(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.kid()).build(),
            new Payload(claims.encode()));
    jws.sign(new MACSigner(keys.publicJwk().encode().getBytes(StandardCharsets.UTF_8)));
    return jws.serialize();
  }

  /** Correctly signed with the trusted key, but without {@code exp}: it would never expire. */
  private static String es256WithoutExp() throws Exception {
    JsonObject claims = claims();
    claims.remove("exp");
    JWSObject jws =
        new JWSObject(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keys.kid()).build(),
            new Payload(claims.encode()));
    jws.sign(new ECDSASigner(ECKey.parse(keys.privateJwk().encode())));
    return jws.serialize();
  }

  @Test
  void theForgeriesAboveWouldPassWithTheirOneFlawMended() throws Exception {
    // proves the refusals in expiredForgedAndGarbageTokensAreUnauthorized are for the reason named
    JWSObject jws =
        new JWSObject(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keys.kid()).build(),
            new Payload(claims().encode()));
    jws.sign(new ECDSASigner(ECKey.parse(keys.privateJwk().encode())));
    assertEquals("admin-1", authorizer.authenticate("Bearer " + jws.serialize()).subject());
  }

  @Test
  void aTokenEventFromTheGatewayIsAuthorized() {
    APIGatewayCustomAuthorizerEvent event =
        EventLoader.loadAPIGatewayCustomAuthorizerEvent("events/authorizer-token.json");
    assertEquals("TOKEN", event.getType());
    event.setAuthorizationToken(
        "Bearer " + minter.mint("manager-3", "manager", Duration.ofMinutes(15)));
    event.setMethodArn(arn(CHINA, "cn-north-1", "prod", "GET", "/tasks/7d3c1f8e"));

    IamPolicyResponse policy = authorizer.handleRequest(event, null);
    assertEquals("manager-3", policy.getPrincipalId());
    assertTrue(AuthorizerHandler.permits(policy, event.getMethodArn()));
    assertTrue(
        allowed(policy)
            .contains(
                "arn:"
                    + CHINA
                    + ":execute-api:cn-north-1:123456789012:abcdef1234/prod/GET/routes"));
  }

  @Test
  void aRequestEventReadsTheAuthorizationHeaderInAnyCase() {
    APIGatewayCustomAuthorizerEvent event =
        EventLoader.loadAPIGatewayCustomAuthorizerEvent("events/authorizer-request.json");
    assertEquals("REQUEST", event.getType());
    assertNull(event.getAuthorizationToken());
    event.setMethodArn(arn(CHINA, "cn-northwest-1", "prod", "POST", "/tasks/7d3c1f8e/claim"));
    Map<String, String> headers = new HashMap<>(event.getHeaders());
    headers.put(
        "authorization", "bearer " + minter.mint("rider-9", "rider", Duration.ofMinutes(15)));
    event.setHeaders(headers);

    IamPolicyResponse policy = authorizer.handleRequest(event, null);
    assertEquals("rider-9", policy.getPrincipalId());
    assertEquals("rider", policy.getContext().get("role"));
    assertTrue(AuthorizerHandler.permits(policy, event.getMethodArn()));

    headers.remove("authorization");
    event.setHeaders(headers);
    assertEquals(
        "Unauthorized",
        assertThrows(RuntimeException.class, () -> authorizer.handleRequest(event, null))
            .getMessage());
  }

  @Test
  void tokensFromLoginPassTheAuthorizerBuiltFromTheSameContext() {
    try (AuthFixture f = new AuthFixture()) {
      AuthorizerHandler fromContext = new AuthorizerHandler(f.ctx);
      String token = f.loginOk("root.admin", AuthFixture.ADMIN_PASSWORD).getString("accessToken");
      String methodArn = arn(CHINA, "cn-north-1", "prod", "POST", "/users");
      IamPolicyResponse policy =
          fromContext.handleRequest(tokenEvent("Bearer " + token, methodArn), null);
      assertEquals(f.admin.id(), policy.getPrincipalId());
      assertTrue(AuthorizerHandler.permits(policy, methodArn));

      // An authorizer holding only the public JWKS (no private key) accepts the same token.
      JsonObject jwks = f.handler.tokenIssuer().jwks();
      AuthorizerHandler publicOnly =
          new AuthorizerHandler(
              BackofficeConfig.of(Map.of(AuthSettings.JWKS.env(), jwks.encode())));
      assertEquals(f.admin.id(), publicOnly.authenticate("Bearer " + token).subject());
    }
  }

  @Test
  void theVerificationKeysNeverIncludePrivateParts() {
    JsonObject jwks =
        TokenIssuer.verificationJwks(
            BackofficeConfig.of(
                Map.of(
                    BackofficeSettings.SIGNING_KEY.env(), keys.privateJwk().encode(),
                    AuthSettings.JWKS.env(),
                        new JsonObject()
                            .put(
                                "keys", new JsonArray().add(DevSigningKeys.generate().privateJwk()))
                            .encode())));
    assertEquals(2, jwks.getJsonArray("keys").size());
    assertFalse(jwks.encode().contains("\"d\""), jwks.encode());
  }
}
