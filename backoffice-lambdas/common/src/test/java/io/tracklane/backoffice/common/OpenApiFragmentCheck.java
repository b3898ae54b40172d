package io.tracklane.backoffice.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.auth.Permissions;
import java.io.InputStream;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.Yaml;

/**
 * What every business unit's OpenAPI fragment must be, so local-api (and API Gateway) can merge it:
 * each operation names its function, is secured by the authorizer, has a unique operationId and
 * responses, has a role in {@link Permissions}, and the operations are exactly the handler's.
 */
public final class OpenApiFragmentCheck {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  private OpenApiFragmentCheck() {}

  /** The fragment {@code resource} (e.g. {@code openapi/tasks.yaml}) from the test classpath. */
  public static Map<String, Object> load(String resource) throws Exception {
    try (InputStream in =
        OpenApiFragmentCheck.class.getClassLoader().getResourceAsStream(resource)) {
      assertNotNull(in, resource + " on the classpath");
      return new Yaml().load(in);
    }
  }

  /** Asserts the operations (see the class comment); returns them as {@code "METHOD /path"}. */
  public static Set<String> assertCoversExactly(
      Map<String, Object> doc, String function, Collection<String> handlerOperations) {
    assertEquals("3.0.3", doc.get("openapi"));
    Set<String> documented = new TreeSet<>();
    Set<String> operationIds = new HashSet<>();
    for (var path : map(doc.get("paths")).entrySet()) {
      for (var op : map(path.getValue()).entrySet()) {
        if (!METHODS.contains(op.getKey())) continue;
        String key = op.getKey().toUpperCase() + " " + path.getKey();
        documented.add(key);
        Map<String, Object> operation = map(op.getValue());
        assertEquals(function, operation.get("x-tracklane-function"), key);
        assertEquals(List.of(Map.of("tracklaneAuth", List.of())), operation.get("security"), key);
        String id = (String) operation.get("operationId");
        assertNotNull(id, key);
        assertTrue(operationIds.add(id), "unique operationId " + id);
        assertTrue(operation.containsKey("responses"), key);
      }
    }
    assertEquals(new TreeSet<>(handlerOperations), documented);
    Set<String> permitted = new HashSet<>();
    Permissions.protectedOperations().forEach(o -> permitted.add(o.toString()));
    assertTrue(permitted.containsAll(documented), "every operation has a role in Permissions");
    return documented;
  }

  /**
   * Every schema, parameter and response component carries the unit's prefix (no clashes when
   * merged).
   */
  public static void assertComponentsPrefixed(Map<String, Object> doc, String prefix) {
    Map<String, Object> components = map(doc.get("components"));
    for (String section : List.of("schemas", "parameters", "responses")) {
      if (!components.containsKey(section)) continue;
      for (String name : map(components.get(section)).keySet()) {
        assertTrue(name.startsWith(prefix), section + " " + name + " is prefixed " + prefix);
      }
    }
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }
}
