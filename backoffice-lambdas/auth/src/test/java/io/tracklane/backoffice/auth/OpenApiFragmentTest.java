package io.tracklane.backoffice.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.ApiHandler;
import io.tracklane.core.auth.Permissions;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The fragment local-api merges and validates requests with must describe exactly what the handler
 * serves.
 */
class OpenApiFragmentTest {
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options");

  @SuppressWarnings("unchecked")
  private static Map<String, Object> fragment() throws Exception {
    try (InputStream in =
        OpenApiFragmentTest.class.getClassLoader().getResourceAsStream("openapi/auth.yaml")) {
      assertNotNull(in, "openapi/auth.yaml on the classpath");
      return (Map<String, Object>) new Yaml().load(in);
    }
  }

  /** The operations the handler registers (in its constructor). */
  private static Set<String> handlerOperations() {
    try (AuthFixture f = new AuthFixture()) {
      ApiHandler handler = f.handler;
      return new HashSet<>(handler.operations());
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyOperationIsDescribedWithFunctionIdAndSecurity() throws Exception {
    Map<String, Object> doc = fragment();
    assertEquals("3.0.3", doc.get("openapi"));
    Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
    Set<String> described = new HashSet<>();
    Set<String> operationIds = new HashSet<>();
    for (var path : paths.entrySet()) {
      for (var op : path.getValue().entrySet()) {
        assertTrue(
            METHODS.contains(op.getKey()),
            path.getKey() + " has a non-operation key " + op.getKey());
        Map<String, Object> operation = (Map<String, Object>) op.getValue();
        String key = op.getKey().toUpperCase() + " " + path.getKey();
        described.add(key);
        assertEquals("auth", operation.get("x-tracklane-function"), key);
        String id = (String) operation.get("operationId");
        assertNotNull(id, key);
        assertTrue(operationIds.add(id), "duplicate operationId " + id);
        List<Object> security = (List<Object>) operation.get("security");
        boolean isPublic =
            Permissions.PUBLIC.contains(Permissions.op(op.getKey().toUpperCase(), path.getKey()));
        assertEquals(
            isPublic ? List.of() : List.of(Map.of("tracklaneAuth", List.of())), security, key);
        if (!isPublic) {
          assertTrue(
              Permissions.protectedOperations()
                  .contains(Permissions.op(op.getKey().toUpperCase(), path.getKey())),
              key + " is not in Permissions");
        }
      }
    }
    assertEquals(handlerOperations(), described);
  }

  @Test
  @SuppressWarnings("unchecked")
  void schemasArePrefixedAndEveryReferenceResolves() throws Exception {
    Map<String, Object> doc = fragment();
    Map<String, Object> components = (Map<String, Object>) doc.get("components");
    assertEquals(
        Set.of("schemas"), components.keySet(), "only schemas: the merger owns everything else");
    Map<String, Map<String, Object>> schemas =
        (Map<String, Map<String, Object>>) components.get("schemas");
    schemas.keySet().forEach(name -> assertTrue(name.startsWith("Auth"), name));
    for (String request :
        List.of(
            "AuthLoginRequest",
            "AuthRefreshRequest",
            "AuthCreateUserRequest",
            "AuthUpdateUserRequest")) {
      assertEquals(Boolean.FALSE, schemas.get(request).get("additionalProperties"), request);
    }
    String text =
        new String(
            OpenApiFragmentTest.class
                .getClassLoader()
                .getResourceAsStream("openapi/auth.yaml")
                .readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("\\$ref: '#/components/schemas/(\\w+)'").matcher(text);
    int refs = 0;
    while (m.find()) {
      refs++;
      assertTrue(schemas.containsKey(m.group(1)), "unresolved " + m.group(1));
    }
    assertTrue(refs > 10);
    assertEquals(
        0,
        text.split("\\$ref: ", -1).length - 1 - refs,
        "every $ref points into components/schemas");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theUsernameRuleMatchesTheHandlers() throws Exception {
    Map<String, Object> schemas =
        (Map<String, Object>) ((Map<String, Object>) fragment().get("components")).get("schemas");
    Map<String, Object> username = (Map<String, Object>) schemas.get("AuthUsername");
    assertEquals("^" + UserStore.USERNAME.pattern() + "$", username.get("pattern"));
    assertEquals(UserStore.USERNAME_MAX, username.get("maxLength"));
    Map<String, Object> password = (Map<String, Object>) schemas.get("AuthNewPassword");
    assertEquals(Passwords.MIN_LENGTH, password.get("minLength"));
    assertEquals(Passwords.MAX_LENGTH, password.get("maxLength"));
    assertEquals(UserStore.ROLES, ((Map<String, Object>) schemas.get("AuthRole")).get("enum"));
  }
}
