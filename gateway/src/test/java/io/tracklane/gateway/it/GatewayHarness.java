package io.tracklane.gateway.it;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tracklane.devkit.DevSigningKeys;
import io.tracklane.devkit.Dynalite;
import io.tracklane.devkit.DynamoFaultProxy;
import io.tracklane.fixestable.FixItemCodec;
import io.tracklane.gateway.Gateway;
import io.tracklane.gateway.Main;
import io.tracklane.gateway.access.StaticTaskAccess;
import io.tracklane.gateway.access.TaskAccess;
import io.tracklane.gateway.config.GatewayConfig;
import io.tracklane.gateway.config.GatewaySettings;
import io.tracklane.gateway.store.TableBootstrap;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * A real gateway for a test: its own Vert.x, its own table in a real dynalite, optionally a
 * fault-injecting proxy between the two, a JWKS from freshly generated keys, and a direct DynamoDB
 * client to read back what was stored.
 */
public final class GatewayHarness implements AutoCloseable {
  public static final String ISSUER = "tracklane";
  public static final String AUDIENCE = "tracklane";
  private static final DevSigningKeys KEYS = DevSigningKeys.generate();
  private static final Vertx TEST_VERTX = Vertx.vertx();

  public final Dynalite dynalite;
  public final String table = "fixes-" + UUID.randomUUID().toString().substring(0, 8);
  public final DynamoDbAsyncClient direct;
  public final DynamoFaultProxy proxy;
  public final Path jwksFile;
  public final StaticTaskAccess access;
  private final Map<String, String> settings = new HashMap<>();
  public Vertx vertx;
  public PrometheusMeterRegistry registry;
  public Gateway gateway;

  private GatewayHarness(
      Dynalite dynalite, boolean withProxy, StaticTaskAccess access, Map<String, String> extra)
      throws Exception {
    this.dynalite = dynalite;
    this.access = access;
    this.direct = directClient(dynalite.endpoint());
    this.proxy =
        withProxy
            ? DynamoFaultProxy.start(TEST_VERTX, "127.0.0.1", dynalite.port())
                .await(10, TimeUnit.SECONDS)
            : null;
    this.jwksFile = Files.createTempFile("jwks", ".json");
    KEYS.writeJwks(jwksFile);
    TableBootstrap.ensureTable(TEST_VERTX, direct, table).await(30, TimeUnit.SECONDS);
    settings.put(GatewaySettings.MQTT_HOST.env(), "127.0.0.1");
    settings.put(GatewaySettings.MQTT_PORT.env(), "0");
    settings.put(GatewaySettings.HTTP_HOST.env(), "127.0.0.1");
    settings.put(GatewaySettings.HTTP_PORT.env(), "0");
    settings.put(GatewaySettings.ADMIN_HOST.env(), "127.0.0.1");
    settings.put(GatewaySettings.ADMIN_PORT.env(), "0");
    settings.put(GatewaySettings.FIXES_TABLE.env(), table);
    settings.put(
        GatewaySettings.DYNAMODB_ENDPOINT.env(),
        proxy != null ? proxy.endpoint() : dynalite.endpoint());
    settings.put(GatewaySettings.JWKS_FILE.env(), jwksFile.toString());
    settings.put(GatewaySettings.RETRY_BASE_MS.env(), "10");
    settings.put(GatewaySettings.RETRY_MAX_MS.env(), "200");
    settings.put(GatewaySettings.WRITE_ATTEMPT_TIMEOUT_MS.env(), "2000");
    settings.putAll(extra);
  }

  /** Task "task-1" belongs to "rider-1", "task-2" to "rider-2". */
  public static StaticTaskAccess defaultAccess() {
    return StaticTaskAccess.parse("task-1=rider-1,task-2=rider-2,task-3=rider-3");
  }

  public static GatewayHarness start(boolean withProxy, Map<String, String> extra)
      throws Exception {
    return start(Dynalite.shared(), withProxy, extra);
  }

  public static GatewayHarness start(
      Dynalite dynalite, boolean withProxy, Map<String, String> extra) throws Exception {
    GatewayHarness h = new GatewayHarness(dynalite, withProxy, defaultAccess(), extra);
    h.startGateway();
    return h;
  }

  /** A gateway whose development task access is {@code access}. */
  public static GatewayHarness start(
      boolean withProxy, Map<String, String> extra, StaticTaskAccess access) throws Exception {
    GatewayHarness h = new GatewayHarness(Dynalite.shared(), withProxy, access, extra);
    h.startGateway();
    return h;
  }

  /** Table, keys and settings ready, but no gateway started (for a gateway in a child JVM). */
  public static GatewayHarness prepare(boolean withProxy, Map<String, String> extra)
      throws Exception {
    return new GatewayHarness(Dynalite.shared(), withProxy, defaultAccess(), extra);
  }

  public Map<String, String> settings() {
    return Map.copyOf(settings);
  }

  /**
   * Starts the gateway as Main would: clustered when the settings say so, and with the Postgres
   * backend (task access, routes, task status) when they name a database; else the static tasks.
   */
  public void startGateway() throws Exception {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    GatewayConfig config = GatewayConfig.from(settings);
    vertx = Main.newVertx(registry, config).await(120, TimeUnit.SECONDS);
    Gateway.Backend backend =
        config.get(GatewaySettings.PG_URL).isEmpty()
            ? Gateway.Backend.of((TaskAccess) access)
            : Main.backend(vertx, config);
    gateway = Gateway.start(vertx, config, backend, registry).await(30, TimeUnit.SECONDS);
  }

  public void stopGateway() throws Exception {
    if (vertx != null) vertx.close().await(30, TimeUnit.SECONDS);
    vertx = null;
  }

  public int mqttPort() {
    return gateway.mqttPort();
  }

  public int httpPort() {
    return gateway.httpPort();
  }

  public int adminPort() {
    return gateway.adminPort();
  }

  public String mqttUri() {
    return "tcp://127.0.0.1:" + mqttPort();
  }

  public static String token(String subject, String role) {
    return KEYS.minter(ISSUER, AUDIENCE).mint(subject, role, Duration.ofHours(1));
  }

  public static String riderToken(String riderId) {
    return token(riderId, "rider");
  }

  public static String expiredToken(String riderId) {
    return expiredToken(riderId, "rider");
  }

  public static String expiredToken(String subject, String role) {
    return KEYS.minter(ISSUER, AUDIENCE).mintExpired(subject, role);
  }

  /** A token that expires {@code ttl} from now. */
  public static String token(String subject, String role, Duration ttl) {
    return KEYS.minter(ISSUER, AUDIENCE).mint(subject, role, ttl);
  }

  /** The Vert.x the tests' own clients run on (not the gateway's). */
  public static Vertx testVertx() {
    return TEST_VERTX;
  }

  /** A well-formed token signed by a key the gateway does not trust. */
  public static String forgedToken(String riderId) {
    return DevSigningKeys.generate()
        .minter(ISSUER, AUDIENCE)
        .mint(riderId, "rider", Duration.ofHours(1));
  }

  // ---- reading back -------------------------------------------------------------------------

  public List<Map<String, AttributeValue>> items(String taskId) {
    List<Map<String, AttributeValue>> all = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse r =
          direct
              .query(
                  b ->
                      b.tableName(table)
                          .keyConditionExpression("taskId = :t")
                          .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(taskId)))
                          .consistentRead(true)
                          .exclusiveStartKey(from))
              .join();
      all.addAll(r.items());
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    return all;
  }

  public int count() {
    int total = 0;
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      ScanResponse r =
          direct.scan(b -> b.tableName(table).select(Select.COUNT).exclusiveStartKey(from)).join();
      total += r.count();
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    return total;
  }

  public Map<String, AttributeValue> item(String taskId, long ts) {
    return direct
        .getItem(
            b ->
                b.tableName(table)
                    .consistentRead(true)
                    .key(
                        Map.of(
                            FixItemCodec.TASK_ID,
                            AttributeValue.fromS(taskId),
                            FixItemCodec.TS,
                            AttributeValue.fromN(Long.toString(ts)))))
        .join()
        .item();
  }

  public static DynamoDbAsyncClient directClient(String endpoint) {
    return DynamoDbAsyncClient.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(URI.create(endpoint))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .build();
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public HttpRequest.Builder post(String taskId, String token, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort() + "/v1/tasks/" + taskId + "/fixes"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    return b;
  }

  public HttpResponse<String> postFixes(String taskId, String token, String body)
      throws IOException, InterruptedException {
    return HTTP.send(post(taskId, token, body).build(), HttpResponse.BodyHandlers.ofString());
  }

  public java.util.concurrent.CompletableFuture<HttpResponse<String>> postFixesAsync(
      String taskId, String token, String body) {
    return HTTP.sendAsync(post(taskId, token, body).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GET on the public HTTP port. */
  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GET on the admin port (health, metrics). */
  public HttpResponse<String> admin(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort() + path))
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Polls until the condition holds or the deadline passes; returns whether it held. */
  public static boolean eventually(Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) return true;
      TimeUnit.MILLISECONDS.sleep(25);
    }
    return condition.getAsBoolean();
  }

  @Override
  public void close() throws Exception {
    stopGateway();
    if (proxy != null) proxy.close();
    direct.close();
    Files.deleteIfExists(jwksFile);
  }
}
