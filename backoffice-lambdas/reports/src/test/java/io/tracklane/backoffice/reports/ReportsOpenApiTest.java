package io.tracklane.backoffice.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.auth.Permissions;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The OpenAPI fragment describes exactly what the handler serves; only managers and admins may call it. */
class ReportsOpenApiTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  @Test
  @SuppressWarnings("unchecked")
  void coversExactlyTheHandlersOperationsForStaffOnly() throws Exception {
    Map<String, Object> doc;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi/reports.yaml")) {
      assertNotNull(in);
      doc = new Yaml().load(in);
    }
    Set<String> documented = new TreeSet<>();
    for (var path : ((Map<String, Object>) doc.get("paths")).entrySet()) {
      for (var op : ((Map<String, Object>) path.getValue()).entrySet()) {
        if (!METHODS.contains(op.getKey())) continue;
        Map<String, Object> operation = (Map<String, Object>) op.getValue();
        String key = op.getKey().toUpperCase() + " " + path.getKey();
        documented.add(key);
        assertEquals("reports", operation.get("x-tracklane-function"), key);
        assertEquals(List.of(Map.of("tracklaneAuth", List.of())), operation.get("security"), key);
        String[] mp = key.split(" ");
        assertTrue(Permissions.allows("manager", mp[0], mp[1]), key + " for managers");
        assertTrue(Permissions.allows("admin", mp[0], mp[1]), key + " for admins");
        assertFalse(Permissions.allows("rider", mp[0], mp[1]), key + " not for riders");
      }
    }
    try (ReportTestKit kit = new ReportTestKit()) {
      assertEquals(new TreeSet<>(kit.handler.operations()), documented);
    }
    for (String section : List.of("schemas", "responses")) {
      for (String name : ((Map<String, Object>) ((Map<String, Object>) doc.get("components")).get(section)).keySet()) {
        assertTrue(name.startsWith("Reports"), section + " " + name + " is prefixed Reports");
      }
    }
  }
}
