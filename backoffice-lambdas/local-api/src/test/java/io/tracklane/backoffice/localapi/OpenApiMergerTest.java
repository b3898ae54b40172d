package io.tracklane.backoffice.localapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenApiMergerTest {
  static final ClassLoader LOADER = OpenApiMergerTest.class.getClassLoader();

  static Map<String, Object> merged() {
    return FragmentCatalog.merged(
        LOADER, List.of("test-auth", "test-core"), MergeOptions.defaults());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o, String... keys) {
    Object cur = o;
    for (String k : keys) cur = ((Map<String, Object>) cur).get(k);
    return (Map<String, Object>) cur;
  }

  static OpenApiMerger.Fragment fragment(String name, String yaml) {
    return new OpenApiMerger.Fragment(name, OpenApiYaml.parse(yaml, name));
  }

  static String op(String path, String method, String function, String security) {
    return """
        openapi: 3.0.3
        info: {title: f, version: "1"}
        paths:
          %s:
            %s:
              x-tracklane-function: %s
              security: %s
              responses:
                '200': {description: ok}
        """
        .formatted(path, method, function, security);
  }

  @Test
  void everyOperationGetsItsFunctionsProxyIntegration() {
    Map<String, Object> doc = merged();
    assertEquals("3.0.3", doc.get("openapi"));
    assertEquals(Map.of("title", "Tracklane back-office API", "version", "0.1.0"), doc.get("info"));
    Map<String, Object> paths = map(doc, "paths");
    assertEquals(
        List.of(
            "/auth/login",
            "/routes/{routeId}",
            "/tasks",
            "/tasks/expire",
            "/tasks/{taskId}",
            "/tasks/{taskId}/claim",
            "/uploads"),
        new ArrayList<>(paths.keySet()),
        "sorted paths");

    Map<String, Object> put = map(doc, "paths", "/routes/{routeId}", "put");
    assertEquals(
        Map.of(
            "type",
            "aws_proxy",
            "httpMethod",
            "POST",
            "uri",
            "${routes_invoke_arn}",
            "passthroughBehavior",
            "when_no_match"),
        put.get("x-amazon-apigateway-integration"));
    assertEquals(List.of(Map.of("tracklaneAuth", List.of())), put.get("security"));
    assertEquals("all", put.get("x-amazon-apigateway-request-validator"));
    assertEquals(
        "${slow_echo_invoke_arn}",
        map(doc, "paths", "/tasks/expire", "post", "x-amazon-apigateway-integration").get("uri"),
        "dashes become underscores");
    assertEquals(List.of(), map(doc, "paths", "/auth/login", "post").get("security"));

    int operations = 0;
    for (var item : paths.entrySet()) {
      for (var m : map(item.getValue()).entrySet()) {
        if (!OpenApiMerger.METHODS.contains(m.getKey()) || m.getKey().equals("options")) continue;
        operations++;
        Map<String, Object> integration = map(m.getValue(), "x-amazon-apigateway-integration");
        assertEquals("aws_proxy", integration.get("type"), item.getKey() + " " + m.getKey());
        assertTrue(((String) integration.get("uri")).matches("\\$\\{[a-z_]+_invoke_arn}"));
      }
    }
    assertEquals(8, operations);
  }

  @Test
  void theSecuritySchemeIsOurRequestAuthorizer() {
    Map<String, Object> scheme = map(merged(), "components", "securitySchemes", "tracklaneAuth");
    assertEquals("apiKey", scheme.get("type"));
    assertEquals("Authorization", scheme.get("name"));
    assertEquals("header", scheme.get("in"));
    assertEquals("custom", scheme.get("x-amazon-apigateway-authtype"));
    assertEquals(
        Map.of(
            "type",
            "request",
            "identitySource",
            "method.request.header.Authorization",
            "authorizerUri",
            "${authorizer_invoke_arn}",
            "authorizerResultTtlInSeconds",
            60),
        scheme.get("x-amazon-apigateway-authorizer"));
  }

  @Test
  void eachPathGetsACorsPreflightWithAMockIntegration() {
    Map<String, Object> options = map(merged(), "paths", "/routes/{routeId}", "options");
    assertEquals(List.of(), options.get("security"));
    Map<String, Object> integration = map(options, "x-amazon-apigateway-integration");
    assertEquals("mock", integration.get("type"));
    assertEquals(
        Map.of("application/json", "{\"statusCode\": 200}"), integration.get("requestTemplates"));
    Map<String, Object> params = map(integration, "responses", "default", "responseParameters");
    assertEquals(
        "'GET,PUT,OPTIONS'", params.get("method.response.header.Access-Control-Allow-Methods"));
    assertEquals("'*'", params.get("method.response.header.Access-Control-Allow-Origin"));
    assertEquals(
        "'Authorization,Content-Type'",
        params.get("method.response.header.Access-Control-Allow-Headers"));
    assertNotNull(map(options, "responses", "200", "headers").get("Access-Control-Allow-Origin"));
    // the path-level parameter stays on the path (it applies to the preflight as well)
    assertNotNull(map(merged(), "paths", "/routes/{routeId}").get("parameters"));
  }

  @Test
  void schemasAreMergedAndIdenticalDuplicatesAreAccepted() {
    Map<String, Object> schemas = map(merged(), "components", "schemas");
    assertEquals(
        List.of("Checkpoint", "Error", "LoginRequest", "RouteInput"),
        new ArrayList<>(schemas.keySet()));
  }

  @Test
  void gatewayResponsesUseOurErrorShape() {
    Map<String, Object> responses = map(merged(), "x-amazon-apigateway-gateway-responses");
    Map<String, Object> unauthorized = map(responses, "UNAUTHORIZED");
    assertEquals("401", unauthorized.get("statusCode"));
    assertTrue(
        map(unauthorized, "responseTemplates")
            .get("application/json")
            .toString()
            .contains("\"error\":\"unauthorized\""));
    assertEquals("403", map(responses, "ACCESS_DENIED").get("statusCode"));
    assertEquals(
        "'*'",
        map(unauthorized, "responseParameters")
            .get("gatewayresponse.header.Access-Control-Allow-Origin"));
  }

  @Test
  void theYamlIsDeterministicBlockStyleAndWritesNoArn() {
    String yaml = OpenApiMerger.toYaml(merged());
    assertEquals(yaml, OpenApiMerger.toYaml(merged()));
    List<Map<String, Object>> reversed = new ArrayList<>();
    for (var f : FragmentCatalog.load(LOADER, List.of("test-core", "test-auth")))
      reversed.add(f.document());
    assertEquals(
        OpenApiYaml.toJson(merged()),
        OpenApiYaml.toJson(OpenApiMerger.merge(reversed, MergeOptions.defaults())),
        "fragment order does not matter");
    assertTrue(yaml.startsWith("openapi: 3.0.3\ninfo:\n"), yaml);
    assertFalse(yaml.contains("&id"), "no YAML anchors");
    assertFalse(yaml.contains("!!"), "no YAML tags");
    assertFalse(yaml.contains("{routeId: "), "block style");
    assertFalse(yaml.contains("arn:"), "no ARN is written by hand");
    assertTrue(yaml.contains("uri: ${routes_invoke_arn}"), yaml);
    assertEquals(
        OpenApiYaml.toJson(merged()),
        OpenApiYaml.toJson(OpenApiYaml.parse(yaml, "out")),
        "round trip");
  }

  @Test
  void aDuplicateOperationNamesBothFragments() {
    var e =
        assertThrows(
            OpenApiMergeException.class,
            () ->
                OpenApiMerger.mergeFragments(
                    List.of(
                        fragment(
                            "openapi/routes.yaml",
                            op("/routes", "get", "routes", "[{tracklaneAuth: []}]")),
                        fragment(
                            "openapi/tasks.yaml",
                            op("/routes", "get", "tasks", "[{tracklaneAuth: []}]"))),
                    MergeOptions.defaults()));
    assertEquals(
        List.of("duplicate operation GET /routes in openapi/routes.yaml and openapi/tasks.yaml"),
        e.problems());

    // another method on the same path is fine
    Map<String, Object> doc =
        OpenApiMerger.mergeFragments(
            List.of(
                fragment("a", op("/routes", "get", "routes", "[{tracklaneAuth: []}]")),
                fragment("b", op("/routes", "post", "routes", "[{tracklaneAuth: []}]"))),
            MergeOptions.defaults());
    assertEquals(
        List.of("get", "post", "options"), new ArrayList<>(map(doc, "paths", "/routes").keySet()));
  }

  @Test
  void aSchemaDefinedDifferentlyInTwoFragmentsIsAnError() {
    String a =
        op("/a", "get", "auth", "[]") + "components:\n  schemas:\n    User: {type: object}\n";
    String b =
        op("/b", "get", "auth", "[]") + "components:\n  schemas:\n    User: {type: string}\n";
    var e =
        assertThrows(
            OpenApiMergeException.class,
            () ->
                OpenApiMerger.mergeFragments(
                    List.of(fragment("openapi/auth.yaml", a), fragment("openapi/routes.yaml", b)),
                    MergeOptions.defaults()));
    assertEquals(
        List.of(
            "components.schemas.User is defined differently in openapi/auth.yaml and openapi/routes.yaml"),
        e.problems());
  }

  @Test
  void everyProblemOfAFragmentIsReported() {
    String yaml =
        """
        openapi: 3.0.3
        info: {title: f, version: "1"}
        paths:
          /no-function:
            get:
              security: []
              responses: {'200': {description: ok}}
          /no-security:
            get:
              x-tracklane-function: auth
              responses: {'200': {description: ok}}
          /own-options:
            options:
              x-tracklane-function: auth
              security: []
              responses: {'200': {description: ok}}
          /other-scheme:
            get:
              x-tracklane-function: auth
              security: [{apiKeyAuth: []}]
              responses: {'200': {description: ok}}
          /template:
            get:
              x-tracklane-function: auth
              security: []
              description: costs ${price}
              responses: {'200': {description: ok}}
        """;
    var e =
        assertThrows(
            OpenApiMergeException.class,
            () ->
                OpenApiMerger.mergeFragments(
                    List.of(fragment("openapi/bad.yaml", yaml)), MergeOptions.defaults()));
    String all = String.join("\n", e.problems());
    assertEquals(5, e.problems().size(), all);
    assertTrue(
        all.contains(
            "openapi/bad.yaml: GET /no-function: x-tracklane-function must name the function"),
        all);
    assertTrue(all.contains("openapi/bad.yaml: GET /no-security: no security"), all);
    assertTrue(
        all.contains("openapi/bad.yaml: OPTIONS /own-options: options operations are generated"),
        all);
    assertTrue(
        all.contains("GET /other-scheme: security requirement {apiKeyAuth=[]} is not supported"),
        all);
    assertTrue(all.contains("/template/get/description contains '${'"), all);
  }

  @Test
  void theSameResourceWithDifferentParameterNamesIsAnError() {
    var e =
        assertThrows(
            OpenApiMergeException.class,
            () ->
                OpenApiMerger.mergeFragments(
                    List.of(
                        fragment(
                            "openapi/routes.yaml", op("/routes/{routeId}", "get", "routes", "[]")),
                        fragment("openapi/tasks.yaml", op("/routes/{id}", "put", "tasks", "[]"))),
                    MergeOptions.defaults()));
    assertEquals(
        List.of(
            "paths /routes/{routeId} (openapi/routes.yaml) and /routes/{id} (openapi/tasks.yaml) are the "
                + "same resource with different parameter names"),
        e.problems());
  }

  @Test
  void fragmentLevelSecurityAppliesToItsOperations() {
    String yaml =
        op("/me", "get", "auth", "[]").replace("      security: []\n", "")
            + "security: [{tracklaneAuth: []}]\n";
    Map<String, Object> doc =
        OpenApiMerger.mergeFragments(List.of(fragment("f", yaml)), MergeOptions.defaults());
    assertEquals(
        List.of(Map.of("tracklaneAuth", List.of())),
        map(doc, "paths", "/me", "get").get("security"));
    assertFalse(doc.containsKey("security"));
  }

  @Test
  void mainMergesFilesAndClasspathResourcesIntoTheOutputFile(@TempDir Path dir) throws Exception {
    Path extra = dir.resolve("extra.yaml");
    Files.writeString(extra, op("/extra", "get", "extra-things", "[]"));
    Path out = dir.resolve("out/backoffice.yaml");
    OpenApiMerger.run(
        new String[] {
          "--version=1.2.3",
          out.toString(),
          "classpath:openapi/test-auth.yaml",
          "openapi/test-core.yaml",
          extra.toString()
        },
        LOADER);
    Map<String, Object> doc =
        OpenApiYaml.parse(Files.readString(out, StandardCharsets.UTF_8), "out");
    assertEquals("1.2.3", map(doc, "info").get("version"));
    assertEquals(
        "${extra_things_invoke_arn}",
        map(doc, "paths", "/extra", "get", "x-amazon-apigateway-integration").get("uri"));
    assertTrue(
        map(doc, "paths")
            .keySet()
            .containsAll(List.of("/auth/login", "/routes/{routeId}", "/extra")));

    var missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> OpenApiMerger.run(new String[] {out.toString(), "openapi/nope.yaml"}, LOADER));
    assertTrue(missing.getMessage().contains("openapi/nope.yaml"), missing.getMessage());
  }

  @Test
  void theCatalogNamesAMissingUnitsResource() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FragmentCatalog.load(LOADER, List.of("test-auth", "billing")));
    assertTrue(e.getMessage().contains("openapi/billing.yaml"), e.getMessage());
  }

  @Test
  void yamlOneOneSurprisesAreOff() {
    Map<String, Object> doc =
        OpenApiYaml.parse("a: no\nb: on\nc: 2024-01-01\nd: true\n200: x\n", "t");
    assertEquals("no", doc.get("a"));
    assertEquals("on", doc.get("b"));
    assertEquals("2024-01-01", doc.get("c"));
    assertEquals(Boolean.TRUE, doc.get("d"));
    assertEquals("x", doc.get("200"));
    assertThrows(IllegalArgumentException.class, () -> OpenApiYaml.parse("a: 1\na: 2\n", "dup"));
  }
}
