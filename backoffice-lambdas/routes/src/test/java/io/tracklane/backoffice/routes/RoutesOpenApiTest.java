package io.tracklane.backoffice.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tracklane.core.auth.Permissions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The unit's OpenAPI fragment: it describes exactly what the handler serves, tags every operation
 * for the merge, and its request schemas are strict enough that the validator local-api uses
 * (vertx-openapi) turns away malformed requests before they reach the handler.
 */
class RoutesOpenApiTest {
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options");
  private static Vertx vertx;
  private static JsonObject document;
  private static RequestValidator validator;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in =
        RoutesOpenApiTest.class.getClassLoader().getResourceAsStream("openapi/routes.yaml")) {
      assertNotNull(in, "openapi/routes.yaml is on the classpath");
      Object yaml = new Yaml().load(in);
      document = new JsonObject(Json.encode(yaml));
    }
    vertx = Vertx.vertx();
    // from() annotates the document it is given: hand it a copy.
    OpenAPIContract contract =
        OpenAPIContract.from(vertx, document.copy()).await(30, TimeUnit.SECONDS);
    validator = RequestValidator.create(vertx, contract);
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  private static Map<String, JsonObject> operations() {
    Map<String, JsonObject> ops = new HashMap<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String key : item.fieldNames()) {
        if (METHODS.contains(key)) ops.put(key.toUpperCase() + " " + path, item.getJsonObject(key));
      }
    }
    return ops;
  }

  @Test
  void describesExactlyWhatTheHandlerServes() {
    assertEquals("3.0.3", document.getString("openapi"));
    // The constructor only registers endpoints; it does not touch the context.
    assertEquals(new RoutesHandler(null).operations(), operations().keySet());
  }

  @Test
  void everyOperationIsTaggedSecuredAndPermitted() {
    Set<String> ids = new HashSet<>();
    Set<String> permitted = new HashSet<>();
    Permissions.protectedOperations().forEach(op -> permitted.add(op.toString()));
    operations()
        .forEach(
            (key, op) -> {
              assertEquals("routes", op.getString("x-tracklane-function"), key);
              assertEquals(
                  new JsonArray().add(new JsonObject().put("tracklaneAuth", new JsonArray())),
                  op.getJsonArray("security"),
                  key);
              assertTrue(ids.add(op.getString("operationId")), "unique operationId " + key);
              assertTrue(permitted.contains(key), "Permissions knows " + key);
            });
    assertEquals(
        Set.of("listRoutes", "createRoute", "getRoute", "updateRoute", "deleteRoute"), ids);
  }

  @Test
  void componentNamesCarryTheUnitPrefix() {
    JsonObject components = document.getJsonObject("components");
    for (String kind : List.of("schemas", "responses", "parameters")) {
      for (String name : components.getJsonObject(kind).fieldNames()) {
        assertTrue(name.startsWith("Routes"), kind + " " + name);
      }
    }
    JsonObject schemas = components.getJsonObject("schemas");
    for (String strict : List.of("RoutesRouteInput", "RoutesLineString", "RoutesCheckpoint")) {
      assertEquals(
          Boolean.FALSE, schemas.getJsonObject(strict).getValue("additionalProperties"), strict);
    }
    assertEquals(
        List.of("name", "geometry", "checkpoints"),
        schemas.getJsonObject("RoutesRouteInput").getJsonArray("required").getList());
  }

  // --- request validation --------------------------------------------------------------------

  private static Throwable validate(
      String operationId, Map<String, String> path, Map<String, String> query, Object body) {
    Map<String, RequestParameter> pathParams = new HashMap<>();
    path.forEach((k, v) -> pathParams.put(k, new RequestParameterImpl(v)));
    Map<String, RequestParameter> queryParams = new HashMap<>();
    query.forEach((k, v) -> queryParams.put(k, new RequestParameterImpl(v)));
    RequestParameter bodyParam =
        body == null
            ? new RequestParameterImpl(null)
            : new RequestParameterImpl(
                Buffer.buffer(body instanceof JsonObject o ? o.encode() : body.toString()));
    var request =
        new ValidatableRequestImpl(
            Map.of(),
            Map.of(),
            pathParams,
            queryParams,
            bodyParam,
            body == null ? null : "application/json");
    try {
      validator.validate(request, operationId).await(30, TimeUnit.SECONDS);
      return null;
    } catch (Exception e) {
      return e;
    }
  }

  private static void accepted(JsonObject body) {
    Throwable t = validate("createRoute", Map.of(), Map.of(), body);
    if (t != null) fail("expected valid: " + t.getMessage() + " for " + body.encode());
  }

  private static void rejected(String why, Consumer<JsonObject> breakIt) {
    JsonObject body = RoutesTestSupport.shanghai("Valid");
    breakIt.accept(body);
    Throwable t = validate("createRoute", Map.of(), Map.of(), body);
    assertRejected(t, why + ": " + body.encode());
    assertRejected(
        validate("updateRoute", Map.of("routeId", "r-1"), Map.of(), body), why + " (PUT)");
  }

  /**
   * Refused by the validator itself (what local-api answers with 400), not by some other failure.
   */
  private static void assertRejected(Throwable t, String why) {
    assertNotNull(t, "should be rejected: " + why);
    assertTrue(t instanceof ValidatorException, why + ": " + t);
  }

  @Test
  void validBodiesPass() {
    accepted(RoutesTestSupport.shanghai("Valid"));
    JsonObject minimal = RoutesTestSupport.shanghai("Minimal").put("checkpoints", new JsonArray());
    minimal.remove("description");
    accepted(minimal);
    JsonObject withAltitude = RoutesTestSupport.shanghai("Alt");
    withAltitude.getJsonObject("geometry").getJsonArray("coordinates").getJsonArray(0).add(12.5);
    accepted(withAltitude);
    assertEquals(
        null,
        validate(
            "updateRoute", Map.of("routeId", "r-1"), Map.of(), RoutesTestSupport.shanghai("Put")));
  }

  @Test
  void malformedBodiesAreRejected() {
    rejected("name missing", b -> b.remove("name"));
    rejected("name not a string", b -> b.put("name", 42));
    rejected("name empty", b -> b.put("name", ""));
    rejected("name too long", b -> b.put("name", "n".repeat(201)));
    rejected("description empty", b -> b.put("description", ""));
    rejected("description too long", b -> b.put("description", "d".repeat(2001)));
    rejected("unknown field", b -> b.put("colour", "red"));
    rejected("geometry missing", b -> b.remove("geometry"));
    rejected("geometry a string", b -> b.put("geometry", "LINESTRING(0 0, 1 1)"));
    rejected("geometry type", b -> b.getJsonObject("geometry").put("type", "Point"));
    rejected(
        "geometry extra member",
        b -> b.getJsonObject("geometry").put("properties", new JsonObject()));
    rejected(
        "one position",
        b ->
            b.getJsonObject("geometry")
                .put("coordinates", new JsonArray().add(new JsonArray().add(121.47).add(31.23))));
    rejected(
        "position of four",
        b -> b.getJsonObject("geometry").getJsonArray("coordinates").getJsonArray(0).add(1).add(2));
    rejected(
        "position of one",
        b ->
            b.getJsonObject("geometry").getJsonArray("coordinates").set(0, new JsonArray().add(1)));
    rejected(
        "position of strings",
        b ->
            b.getJsonObject("geometry")
                .getJsonArray("coordinates")
                .set(0, new JsonArray().add("121.47").add("31.23")));
    rejected("checkpoints missing", b -> b.remove("checkpoints"));
    rejected("checkpoints an object", b -> b.put("checkpoints", new JsonObject()));
    rejected(
        "checkpoint radius a string",
        b -> b.getJsonArray("checkpoints").getJsonObject(0).put("radiusM", "30"));
    rejected(
        "checkpoint radius too small",
        b -> b.getJsonArray("checkpoints").getJsonObject(0).put("radiusM", 4));
    rejected(
        "checkpoint radius too large",
        b -> b.getJsonArray("checkpoints").getJsonObject(0).put("radiusM", 5001));
    rejected(
        "checkpoint lat out of range",
        b -> b.getJsonArray("checkpoints").getJsonObject(0).put("lat", 91));
    rejected(
        "checkpoint lon out of range",
        b -> b.getJsonArray("checkpoints").getJsonObject(0).put("lon", 181));
    rejected(
        "checkpoint without name",
        b -> b.getJsonArray("checkpoints").getJsonObject(0).remove("name"));
    rejected(
        "checkpoint extra field",
        b -> b.getJsonArray("checkpoints").getJsonObject(0).put("radius", 30));
    rejected(
        "checkpoint not an object", b -> b.getJsonArray("checkpoints").set(0, "People's Square"));
    rejected(
        "too many checkpoints",
        b -> {
          JsonArray many = new JsonArray();
          for (int i = 0; i < 201; i++)
            many.add(RoutesTestSupport.checkpoint("c", 31.2304, 121.4737, 30));
          b.put("checkpoints", many);
        });
    assertRejected(validate("createRoute", Map.of(), Map.of(), null), "a body is required");
    assertRejected(validate("createRoute", Map.of(), Map.of(), "[]"), "an array is not a route");
  }

  @Test
  void listQueryParametersAreChecked() {
    assertEquals(null, validate("listRoutes", Map.of(), Map.of(), null));
    assertEquals(
        null, validate("listRoutes", Map.of(), Map.of("limit", "200", "cursor", "abc"), null));
    for (String bad : List.of("0", "201", "ten")) {
      assertRejected(validate("listRoutes", Map.of(), Map.of("limit", bad), null), "limit=" + bad);
    }
    assertEquals(
        null,
        validate("getRoute", Map.of("routeId", "r-1"), Map.of(), null),
        "getRoute with an id");
  }
}
