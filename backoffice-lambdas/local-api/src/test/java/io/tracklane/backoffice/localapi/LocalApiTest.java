package io.tracklane.backoffice.localapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real LocalApi on a free port, test-only functions and authorizer, the JDK HTTP client. */
class LocalApiTest {
  static final String ORIGIN = "http://app.test";
  static final AtomicInteger NONCE = new AtomicInteger();

  static Vertx vertx;
  static Map<String, Object> document;
  static LocalApi api;
  static int port;
  static final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static final EchoHandler auth = new EchoHandler();
  static final EchoHandler tasks = new EchoHandler();
  static final TestRoutesHandler routes = new TestRoutesHandler();
  static final SlowHandler slow = new SlowHandler();
  static final TestAuthorizer authorizer = new TestAuthorizer();
  static final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T08:00:00Z"));

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    document =
        FragmentCatalog.merged(
            LocalApiTest.class.getClassLoader(),
            List.of("test-auth", "test-core"),
            MergeOptions.defaults());
    api = builder().clock(clock).build();
    port = await(api.listen("127.0.0.1", 0));
  }

  static LocalApi.Builder builder() {
    return LocalApi.builder(vertx)
        .openApi(document)
        .function("auth", auth)
        .function("routes", routes)
        .function("tasks", tasks)
        .function("slow-echo", slow)
        .authorizer(authorizer)
        .allowedOrigins(List.of(ORIGIN));
  }

  @AfterAll
  static void stop() throws Exception {
    slow.release.countDown();
    await(api.close());
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A token the test authorizer accepts, unique so that no other test shares its cache entry. */
  static String token(String role) {
    return "Bearer good-" + role + "." + NONCE.incrementAndGet();
  }

  static HttpResponse<String> call(
      int port, String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> call(String method, String path, String body, String... headers)
      throws Exception {
    return call(port, method, path, body, headers);
  }

  static JsonObject json(HttpResponse<String> res) {
    return new JsonObject(res.body());
  }

  static Set<String> fields(HttpResponse<String> res) {
    JsonArray errors = json(res).getJsonArray("errors", new JsonArray());
    return errors.stream()
        .map(e -> ((JsonObject) e).getString("field"))
        .collect(Collectors.toSet());
  }

  static String message(HttpResponse<String> res, String field) {
    for (Object e : json(res).getJsonArray("errors", new JsonArray())) {
      if (field.equals(((JsonObject) e).getString("field")))
        return ((JsonObject) e).getString("message");
    }
    return null;
  }

  // --- the proxy event -----------------------------------------------------------------------

  @Test
  void securedOperationGetsTheProxyEventApiGatewayBuilds() throws Exception {
    HttpResponse<String> res = call("GET", "/routes/r-42", null, "Authorization", token("manager"));
    assertEquals(200, res.statusCode(), res.body());
    JsonObject e = json(res);
    assertEquals("/routes/{routeId}", e.getString("resource"));
    assertEquals("/routes/r-42", e.getString("path"));
    assertEquals("GET", e.getString("httpMethod"));
    assertEquals(new JsonObject().put("routeId", "r-42"), e.getJsonObject("pathParameters"));
    assertNull(e.getValue("queryStringParameters"));
    assertNull(e.getValue("body"));
    JsonObject rc = e.getJsonObject("requestContext");
    assertEquals("/routes/{routeId}", rc.getString("resourcePath"));
    assertEquals("GET", rc.getString("httpMethod"));
    assertEquals(LocalAws.STAGE, rc.getString("stage"));
    assertEquals("/local/routes/r-42", rc.getString("path"));
    assertEquals(LocalAws.ACCOUNT_ID, rc.getString("accountId"));
    assertEquals("127.0.0.1", rc.getString("sourceIp"));
    assertFalse(rc.getString("requestId").isBlank());
    assertEquals(
        rc.getString("requestId"), res.headers().firstValue("x-amzn-RequestId").orElse(null));
    JsonObject authorizerContext = rc.getJsonObject("authorizer");
    assertEquals("user-manager", authorizerContext.getString("userId"));
    assertEquals("manager", authorizerContext.getString("role"));
    assertEquals("user-manager", authorizerContext.getString("principalId"));
    // ApiHandler's Caller reads the same context
    assertEquals(
        new JsonObject().put("userId", "user-manager").put("role", "manager"),
        e.getJsonObject("caller"));
  }

  @Test
  void queryStringsHeadersAndBodyReachTheFunctionLikeApiGatewayPassesThem() throws Exception {
    HttpResponse<String> res =
        call(
            "GET",
            "/tasks?status=open&limit=5&limit=7&near=52.5,13.4",
            null,
            "Authorization",
            token("rider"),
            "X-Trace",
            "one");
    assertEquals(200, res.statusCode(), res.body());
    JsonObject e = json(res);
    assertEquals("/tasks", e.getString("resource"));
    assertEquals(
        new JsonObject().put("status", "open").put("limit", "7").put("near", "52.5,13.4"),
        e.getJsonObject("queryStringParameters"));
    assertEquals(
        new JsonArray().add("5").add("7"),
        e.getJsonObject("multiValueQueryStringParameters").getJsonArray("limit"));
    assertNull(e.getValue("pathParameters"));
    assertEquals("one", e.getJsonObject("headers").getString("X-Trace"));
    assertEquals(
        new JsonArray().add("one"), e.getJsonObject("multiValueHeaders").getJsonArray("X-Trace"));
    assertEquals("tasks", e.getString("function"));
    assertTrue(e.getInteger("remainingMs") > 0);

    HttpResponse<String> login =
        call(
            "POST",
            "/auth/login",
            "{\"username\":\"ada\",\"password\":\"pw\"}",
            "Content-Type",
            "application/json");
    assertEquals(200, login.statusCode(), login.body());
    JsonObject l = json(login);
    assertEquals("{\"username\":\"ada\",\"password\":\"pw\"}", l.getString("body"));
    assertEquals(false, l.getBoolean("isBase64Encoded"));
    assertNull(
        l.getJsonObject("requestContext").getValue("authorizer"),
        "public operations get no authorizer context");
  }

  @Test
  void binaryBodiesArriveBase64Encoded() throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/uploads"))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0, 1, 2, (byte) 255}))
            .build();
    HttpResponse<String> res = client.send(req, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, res.statusCode(), res.body());
    assertEquals("AAEC/w==", json(res).getString("body"));
    assertEquals(true, json(res).getBoolean("isBase64Encoded"));
  }

  @Test
  void theFunctionsResponseIsMappedBackToHttp() throws Exception {
    HttpResponse<String> res = call("GET", "/tasks/t-1", null, "Authorization", token("rider"));
    assertEquals(200, res.statusCode());
    assertEquals("1", res.headers().firstValue("X-Echo").orElse(null));
    assertEquals(List.of("a=1", "b=2"), res.headers().allValues("Set-Cookie"));
    assertEquals("application/json", res.headers().firstValue("Content-Type").orElse(null));
    assertEquals(new JsonObject().put("taskId", "t-1"), json(res).getJsonObject("pathParameters"));
  }

  @Test
  void aFailingFunctionIsA502() throws Exception {
    HttpResponse<String> res =
        call("GET", "/tasks/t-1", null, "Authorization", token("rider"), "X-Test-Fail", "yes");
    assertEquals(502, res.statusCode());
    assertEquals("bad_gateway", json(res).getString("error"));
  }

  // --- validation ----------------------------------------------------------------------------

  @Test
  void aBodyViolatingTheSchemaIsRefusedNamingEachFieldBeforeTheFunctionRuns() throws Exception {
    int before = routes.calls.get();
    String body =
        "{\"name\":5,\"checkpoints\":[{\"name\":\"a\",\"lat\":100,\"lon\":0,\"radiusM\":1.5}],\"extra\":true}";
    HttpResponse<String> res =
        call(
            "PUT",
            "/routes/r-1",
            body,
            "Authorization",
            token("admin"),
            "Content-Type",
            "application/json");
    assertEquals(400, res.statusCode(), res.body());
    assertEquals("invalid_request", json(res).getString("error"));
    assertNotNull(json(res).getString("message"));
    assertEquals(
        Set.of("name", "checkpoints[0].lat", "checkpoints[0].radiusM", "extra"),
        fields(res),
        res.body());
    assertTrue(message(res, "name").contains("string"), res.body());
    assertTrue(message(res, "extra").contains("not allowed"), res.body());
    assertEquals(before, routes.calls.get(), "the function must not run");
  }

  @Test
  void missingRequiredPropertiesAreNamed() throws Exception {
    HttpResponse<String> res =
        call(
            "PUT",
            "/routes/r-1",
            "{\"checkpoints\":[{\"lat\":1,\"lon\":2,\"radiusM\":3}]}",
            "Authorization",
            token("admin"),
            "Content-Type",
            "application/json");
    assertEquals(400, res.statusCode(), res.body());
    assertEquals(Set.of("name", "checkpoints[0].name"), fields(res), res.body());
    assertEquals("is required", message(res, "name"));

    HttpResponse<String> empty = call("POST", "/auth/login", null);
    assertEquals(400, empty.statusCode());
    assertEquals(Set.of("body"), fields(empty));
  }

  @Test
  void anUnknownPropertyIsRefused() throws Exception {
    HttpResponse<String> res =
        call(
            "POST",
            "/auth/login",
            "{\"username\":\"a\",\"password\":\"b\",\"admin\":true}",
            "Content-Type",
            "application/json");
    assertEquals(400, res.statusCode());
    assertEquals(Set.of("admin"), fields(res));
  }

  @Test
  void aValidBodyPasses_nullableFieldsMayBeNull() throws Exception {
    String body =
        "{\"name\":\"Loop\",\"description\":null,\"checkpoints\":[{\"name\":\"a\",\"lat\":52.5,\"lon\":13.4,\"radiusM\":25}]}";
    HttpResponse<String> res =
        call(
            "PUT",
            "/routes/r-7",
            body,
            "Authorization",
            token("admin"),
            "Content-Type",
            "application/json; charset=utf-8");
    assertEquals(200, res.statusCode(), res.body());
    assertEquals("r-7", json(res).getString("routeId"));
    assertEquals("Loop", json(res).getJsonObject("body").getString("name"));
  }

  @Test
  void aBodyThatIsNotJsonIs400_andAnUnacceptedContentTypeIs415() throws Exception {
    HttpResponse<String> res =
        call("POST", "/auth/login", "{\"username\": nope", "Content-Type", "application/json");
    assertEquals(400, res.statusCode());
    assertEquals("invalid_request", json(res).getString("error"));
    assertEquals(Set.of("body"), fields(res));

    HttpResponse<String> text =
        call("POST", "/auth/login", "username=a", "Content-Type", "text/plain");
    assertEquals(415, text.statusCode());
    assertEquals("unsupported_media_type", json(text).getString("error"));
  }

  @Test
  void queryParametersAreValidatedAgainstTheirSchemas() throws Exception {
    HttpResponse<String> res =
        call(
            "GET", "/tasks?limit=abc&status=lost&near=here", null, "Authorization", token("rider"));
    assertEquals(400, res.statusCode(), res.body());
    assertEquals(Set.of("limit", "status", "near"), fields(res), res.body());
    assertEquals("must be an integer", message(res, "limit"));
    assertTrue(message(res, "status").startsWith("must be one of ["), res.body());

    HttpResponse<String> tooBig =
        call("GET", "/tasks?limit=500", null, "Authorization", token("rider"));
    assertEquals(400, tooBig.statusCode());
    assertEquals(Set.of("limit"), fields(tooBig));
  }

  // --- the authorizer ------------------------------------------------------------------------

  @Test
  void withoutATokenIt401sWithoutCallingTheAuthorizer() throws Exception {
    int before = authorizer.calls.get();
    HttpResponse<String> res = call("GET", "/routes/r-1", null);
    assertEquals(401, res.statusCode());
    assertEquals("unauthorized", json(res).getString("error"));
    assertEquals(before, authorizer.calls.get());

    HttpResponse<String> bad = call("GET", "/routes/r-1", null, "Authorization", "Bearer forged");
    assertEquals(401, bad.statusCode());
    assertEquals("unauthorized", json(bad).getString("error"));
    assertEquals(before + 1, authorizer.calls.get());
  }

  @Test
  void aPolicyThatDoesNotAllowTheMethodAndPathIs403() throws Exception {
    int before = routes.calls.get();
    String rider = token("rider");
    String valid =
        "{\"name\":\"Loop\",\"checkpoints\":[{\"name\":\"a\",\"lat\":1,\"lon\":2,\"radiusM\":3}]}";
    HttpResponse<String> res =
        call(
            "PUT",
            "/routes/r-1",
            valid,
            "Authorization",
            rider,
            "Content-Type",
            "application/json");
    assertEquals(403, res.statusCode(), res.body());
    assertEquals("forbidden", json(res).getString("error"));
    // the same cached policy allows what the role may call
    assertEquals(200, call("GET", "/routes/r-1", null, "Authorization", rider).statusCode());
    // authorization comes before validation, as in API Gateway
    HttpResponse<String> invalid =
        call(
            "PUT", "/routes/r-1", "{}", "Authorization", rider, "Content-Type", "application/json");
    assertEquals(403, invalid.statusCode());
    assertEquals(before + 1, routes.calls.get(), "only the GET reached the function");
  }

  @Test
  void anExplicitDenyWinsOverAnAllow() throws Exception {
    String admin = "Bearer deny-admin." + NONCE.incrementAndGet();
    String valid =
        "{\"name\":\"Loop\",\"checkpoints\":[{\"name\":\"a\",\"lat\":1,\"lon\":2,\"radiusM\":3}]}";
    assertEquals(
        403,
        call(
                "PUT",
                "/routes/r-1",
                valid,
                "Authorization",
                admin,
                "Content-Type",
                "application/json")
            .statusCode());
    assertEquals(200, call("GET", "/routes/r-1", null, "Authorization", admin).statusCode());
  }

  @Test
  void anAuthorizerFailureOtherThanUnauthorizedIs500() throws Exception {
    HttpResponse<String> res = call("GET", "/routes/r-1", null, "Authorization", "Bearer boom");
    assertEquals(500, res.statusCode());
    assertEquals("authorizer_error", json(res).getString("error"));
  }

  @Test
  void theAuthorizerGetsARequestEventWithTheMethodArn() throws Exception {
    String admin = token("admin");
    assertEquals(200, call("GET", "/routes/r-9?x=1", null, "Authorization", admin).statusCode());
    var event =
        authorizer.events.stream()
            .filter(ev -> admin.equals(ev.getHeaders().get("Authorization")))
            .findFirst()
            .orElseThrow();
    assertEquals("REQUEST", event.getType());
    assertEquals(
        "arn:" + LocalAws.PARTITION + ":execute-api:local:000000000000:local/local/GET/routes/r-9",
        event.getMethodArn());
    assertEquals("/routes/{routeId}", event.getResource());
    assertEquals(Map.of("routeId", "r-9"), event.getPathParameters());
    assertEquals(Map.of("x", "1"), event.getQueryStringParameters());
    assertEquals("local", event.getRequestContext().getStage());
  }

  @Test
  void authorizerResultsAreCachedPerTokenForTheTtl() throws Exception {
    String manager = token("manager");
    int before = authorizer.calls.get();
    assertEquals(200, call("GET", "/routes/r-1", null, "Authorization", manager).statusCode());
    assertEquals(200, call("GET", "/tasks/t-1", null, "Authorization", manager).statusCode());
    assertEquals(200, call("GET", "/tasks", null, "Authorization", manager).statusCode());
    assertEquals(before + 1, authorizer.calls.get(), "one authorizer call for three requests");

    clock.advance(Duration.ofSeconds(59)); // the default TTL is 60 s
    assertEquals(200, call("GET", "/routes/r-1", null, "Authorization", manager).statusCode());
    assertEquals(before + 1, authorizer.calls.get());

    clock.advance(Duration.ofSeconds(2));
    assertEquals(200, call("GET", "/routes/r-1", null, "Authorization", manager).statusCode());
    assertEquals(before + 2, authorizer.calls.get(), "past the TTL the authorizer runs again");
  }

  // --- CORS ----------------------------------------------------------------------------------

  @Test
  void preflightsAreAnsweredWithoutTheAuthorizer() throws Exception {
    int before = authorizer.calls.get();
    HttpResponse<String> res =
        call(
            "OPTIONS",
            "/routes/r-1",
            null,
            "Origin",
            ORIGIN,
            "Access-Control-Request-Method",
            "PUT",
            "Access-Control-Request-Headers",
            "authorization");
    assertEquals(200, res.statusCode());
    assertEquals(ORIGIN, res.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    assertEquals(
        "GET,PUT,OPTIONS", res.headers().firstValue("Access-Control-Allow-Methods").orElse(null));
    assertEquals(
        "Authorization,Content-Type",
        res.headers().firstValue("Access-Control-Allow-Headers").orElse(null));
    assertTrue(res.headers().firstValue("Access-Control-Max-Age").isPresent());
    assertEquals(before, authorizer.calls.get());

    HttpResponse<String> other =
        call(
            "OPTIONS",
            "/routes/r-1",
            null,
            "Origin",
            "http://evil.test",
            "Access-Control-Request-Method",
            "PUT");
    assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
  }

  @Test
  void responsesCarryTheAllowOriginForAllowedOrigins() throws Exception {
    HttpResponse<String> ok =
        call("GET", "/tasks/t-1", null, "Authorization", token("rider"), "Origin", ORIGIN);
    assertEquals(ORIGIN, ok.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    HttpResponse<String> denied = call("GET", "/tasks/t-1", null, "Origin", ORIGIN);
    assertEquals(401, denied.statusCode());
    assertEquals(ORIGIN, denied.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    HttpResponse<String> other =
        call(
            "GET",
            "/tasks/t-1",
            null,
            "Authorization",
            token("rider"),
            "Origin",
            "http://evil.test");
    assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
  }

  // --- routing -------------------------------------------------------------------------------

  @Test
  void unknownPathsAre404AndOtherMethods405() throws Exception {
    HttpResponse<String> missing = call("GET", "/nope", null);
    assertEquals(404, missing.statusCode());
    assertEquals("not_found", json(missing).getString("error"));

    // /tasks/expire is a resource of its own (POST only): API Gateway does not fall back to
    // /tasks/{taskId}
    HttpResponse<String> wrong =
        call("GET", "/tasks/expire", null, "Authorization", token("admin"));
    assertEquals(405, wrong.statusCode());
    assertEquals("method_not_allowed", json(wrong).getString("error"));
    assertEquals("POST,OPTIONS", wrong.headers().firstValue("Allow").orElse(null));
    assertEquals(405, call("DELETE", "/tasks/t-1", null).statusCode());
  }

  @Test
  void aFunctionPastItsTimeoutIs504AndIsInterrupted() throws Exception {
    LocalApi fast = builder().functionTimeout(Duration.ofMillis(300)).build();
    int fastPort = await(fast.listen("127.0.0.1", 0));
    try {
      HttpResponse<String> res =
          call(fastPort, "POST", "/tasks/expire", null, "Authorization", token("admin"));
      assertEquals(504, res.statusCode(), res.body());
      assertEquals("timeout", json(res).getString("error"));
      assertTrue(slow.started.await(5, TimeUnit.SECONDS));
      assertTrue(
          slow.interrupted.await(5, TimeUnit.SECONDS), "the function's thread is interrupted");
    } finally {
      await(fast.close());
    }
  }

  @Test
  void theRoutesTableListsEveryOperationWithItsFunction() {
    String table = api.routesTable();
    List<String> lines = new ArrayList<>(List.of(table.split("\n")));
    assertEquals(8, lines.size(), table);
    assertTrue(lines.get(0).matches("POST\\s+/auth/login\\s+-> auth\\s+\\(public\\)"), table);
    assertTrue(
        table
            .lines()
            .anyMatch(
                l -> l.matches("PUT\\s+/routes/\\{routeId}\\s+-> routes\\s+\\(tracklaneAuth\\)")),
        table);
    assertTrue(
        table
            .lines()
            .anyMatch(
                l -> l.matches("POST\\s+/tasks/expire\\s+-> slow-echo\\s+\\(tracklaneAuth\\)")),
        table);
  }

  // --- wiring checks -------------------------------------------------------------------------

  @Test
  void buildFailsListingMissingFunctionsAndTheAuthorizer() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> LocalApi.builder(vertx).openApi(document).function("auth", auth).build());
    assertTrue(e.getMessage().contains("no handler for function routes"), e.getMessage());
    assertTrue(e.getMessage().contains("no handler for function slow-echo"), e.getMessage());
    assertTrue(e.getMessage().contains("no authorizer"), e.getMessage());
  }

  @Test
  void buildFailsWhenAnApiHandlersEndpointsDoNotMatchTheDocument() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                LocalApi.builder(vertx)
                    .openApi(document)
                    .function("auth", auth)
                    .function("routes", routes)
                    .function("tasks", routes)
                    .function("slow-echo", slow)
                    .authorizer(authorizer)
                    .build());
    assertTrue(
        e.getMessage()
            .contains("function tasks (TestRoutesHandler) has no endpoint for GET /tasks"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("function tasks (TestRoutesHandler) serves PUT /routes/{routeId}"),
        e.getMessage());
  }

  @Test
  void anInvalidDocumentFailsListen() throws Exception {
    Map<String, Object> broken =
        OpenApiYaml.parse(
            """
        openapi: 3.0.3
        info: {title: t, version: "1"}
        paths:
          /x:
            get:
              x-tracklane-function: auth
              security: []
              responses: {'200': {description: ok}}
              parameters:
                - {name: q, in: nowhere}
        """,
            "broken");
    LocalApi bad = LocalApi.builder(vertx).openApi(broken).function("auth", auth).build();
    var failure =
        assertThrows(
            java.util.concurrent.ExecutionException.class, () -> await(bad.listen("127.0.0.1", 0)));
    assertTrue(
        failure.getCause().getMessage().contains("not valid OpenAPI"),
        failure.getCause().getMessage());
  }
}
