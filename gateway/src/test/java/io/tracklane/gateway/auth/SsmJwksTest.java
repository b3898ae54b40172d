package io.tracklane.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tracklane.core.auth.Principal;
import io.tracklane.devkit.DevSigningKeys;
import io.tracklane.gateway.config.GatewayConfig;
import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.metrics.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway reads its public keys from SSM Parameter Store (TRACKLANE_JWKS_SSM_PARAMETER) with
 * the real AWS SDK async client, against a small local server speaking SSM's JSON protocol (POST,
 * {@code X-Amz-Target: AmazonSSM.GetParameter}): the project has no SSM emulator.
 */
class SsmJwksTest {
  private static final String PARAMETER = "/tracklane-test/jwks";
  private static final String ISSUER = "tracklane";
  private static final String AUDIENCE = "tracklane";

  /** Parameter name → value, as SSM would hold them. */
  private final Map<String, String> parameters = new ConcurrentHashMap<>();

  /** Every request: target, body, Authorization header. */
  private final List<String[]> requests = new CopyOnWriteArrayList<>();

  private HttpServer ssm;
  private Vertx vertx;

  @BeforeEach
  void start() throws Exception {
    ssm = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ssm.createContext(
        "/",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
          requests.add(
              new String[] {target, body, ex.getRequestHeaders().getFirst("Authorization")});
          JsonObject request = new JsonObject(body);
          String value = parameters.get(request.getString("Name"));
          JsonObject answer;
          int status;
          if (!"AmazonSSM.GetParameter".equals(target)) {
            status = 400;
            answer = new JsonObject().put("__type", "InvalidAction").put("message", target);
          } else if (value == null) {
            status = 400;
            answer =
                new JsonObject()
                    .put("__type", "ParameterNotFound")
                    .put("message", "Parameter " + request.getString("Name") + " not found.");
          } else {
            status = 200;
            answer =
                new JsonObject()
                    .put(
                        "Parameter",
                        new JsonObject()
                            .put("Name", request.getString("Name"))
                            .put("Type", "String")
                            .put("Value", value)
                            .put("Version", 1)
                            .put("DataType", "text"));
          }
          byte[] out = answer.encode().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
          ex.sendResponseHeaders(status, out.length);
          ex.getResponseBody().write(out);
          ex.close();
        });
    ssm.start();
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    ssm.stop(0);
  }

  private JwksSource source() {
    return JwksSource.of(
        vertx,
        GatewayConfig.from(
            Map.of(
                GatewaySettings.JWKS_SSM_PARAMETER.env(),
                PARAMETER,
                GatewaySettings.SSM_ENDPOINT.env(),
                "http://127.0.0.1:" + ssm.getAddress().getPort(),
                GatewaySettings.AWS_REGION.env(),
                "cn-north-1",
                GatewaySettings.JWKS_FETCH_TIMEOUT_MS.env(),
                "5000")));
  }

  private static String jwks(DevSigningKeys... keys) {
    JsonArray array = new JsonArray();
    for (DevSigningKeys k : keys) array.add(k.publicJwk());
    return new JsonObject().put("keys", array).encode();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static String token(DevSigningKeys keys, String subject) {
    return keys.minter(ISSUER, AUDIENCE).mint(subject, "rider", Duration.ofHours(1));
  }

  @Test
  void verifiesWithTheParametersKeysAndReadsItAgainForARotatedKey() throws Exception {
    DevSigningKeys a = DevSigningKeys.generate();
    DevSigningKeys b = DevSigningKeys.generate();
    parameters.put(PARAMETER, jwks(a));
    JwksSource source = source();
    assertEquals("ssm:" + PARAMETER, source.location());
    JwksVerifier verifier =
        await(
            JwksVerifier.start(
                vertx.getOrCreateContext(),
                source,
                ISSUER,
                AUDIENCE,
                600_000,
                0,
                new GatewayMetrics(new SimpleMeterRegistry())));
    assertEquals(new Principal("rider-1", "rider"), await(verifier.verify(token(a, "rider-1"))));
    assertEquals(1, requests.size(), "read once at start");
    String[] first = requests.get(0);
    assertEquals("AmazonSSM.GetParameter", first[0]);
    assertEquals(
        new JsonObject().put("Name", PARAMETER).put("WithDecryption", true),
        new JsonObject(first[1]));
    assertTrue(
        first[2].contains("/cn-north-1/ssm/aws4_request"),
        "signed for SSM in the region: " + first[2]);

    // the operator puts the rotated JWKS (old and new key): a token of the new key reads it again
    parameters.put(PARAMETER, jwks(a, b));
    assertEquals(new Principal("rider-2", "rider"), await(verifier.verify(token(b, "rider-2"))));
    assertEquals(new Principal("rider-1", "rider"), await(verifier.verify(token(a, "rider-1"))));
    assertEquals(2, requests.size(), "one more read, for the new key id");
    verifier.close();
    await(source.close());
  }

  @Test
  void theTerraformPlaceholderFailsNamingTheParameter() throws Exception {
    parameters.put(PARAMETER, "UNSET: see docs/deploy.md, Signing key");
    JwksSource source = source();
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(source.load()));
    assertTrue(
        e.getCause().getMessage().contains("SSM parameter " + PARAMETER + " does not hold a JWKS"),
        e.getCause().getMessage());
    parameters.put(PARAMETER, "{\"keys\":[]}");
    e = assertThrows(ExecutionException.class, () -> await(source.load()));
    assertTrue(e.getCause().getMessage().contains("does not hold a JWKS"));
    await(source.close());
  }

  @Test
  void aMissingParameterFailsTheRead() throws Exception {
    JwksSource source = source();
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(source.load()));
    assertTrue(e.getCause().getMessage().contains("not found"), e.getCause().getMessage());
    await(source.close());
  }

  @Test
  void aFileStillWinsAndNoSourceNamesAllThree() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> JwksSource.of(vertx, GatewayConfig.from(Map.of())));
    assertTrue(e.getMessage().contains("TRACKLANE_JWKS_SSM_PARAMETER"), e.getMessage());
    JwksSource file =
        JwksSource.of(
            vertx,
            GatewayConfig.from(
                Map.of(
                    GatewaySettings.JWKS_FILE.env(),
                    "/tmp/keys.json",
                    GatewaySettings.JWKS_SSM_PARAMETER.env(),
                    PARAMETER)));
    assertEquals("/tmp/keys.json", file.location());
  }
}
