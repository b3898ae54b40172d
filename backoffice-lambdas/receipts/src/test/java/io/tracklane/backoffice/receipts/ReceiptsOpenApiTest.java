package io.tracklane.backoffice.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.auth.Permissions;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The OpenAPI fragment describes exactly what the handler serves, in the shape local-api merges. */
class ReceiptsOpenApiTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
  private static ReceiptTestKit kit;
  private static Map<String, Object> doc;

  @BeforeAll
  static void load() throws Exception {
    kit = new ReceiptTestKit();
    try (InputStream in = ReceiptsOpenApiTest.class.getClassLoader().getResourceAsStream("openapi/receipts.yaml")) {
      assertNotNull(in, "openapi/receipts.yaml on the classpath");
      doc = new Yaml().load(in);
    }
  }

  @AfterAll
  static void close() throws Exception {
    kit.close();
  }

  @Test
  void coversExactlyTheHandlersOperationsEachWithARole() {
    assertEquals("3.0.3", doc.get("openapi"));
    Set<String> documented = new TreeSet<>();
    Set<String> operationIds = new HashSet<>();
    for (var path : map(doc.get("paths")).entrySet()) {
      for (var op : map(path.getValue()).entrySet()) {
        if (!METHODS.contains(op.getKey())) continue;
        String key = op.getKey().toUpperCase() + " " + path.getKey();
        documented.add(key);
        Map<String, Object> operation = map(op.getValue());
        assertEquals("receipts", operation.get("x-tracklane-function"), key);
        assertEquals(List.of(Map.of("tracklaneAuth", List.of())), operation.get("security"), key);
        String id = (String) operation.get("operationId");
        assertNotNull(id, key);
        assertTrue(operationIds.add(id), "unique operationId " + id);
        assertTrue(operation.containsKey("responses"), key);
      }
    }
    assertEquals(new TreeSet<>(kit.handler.operations()), documented);
    Set<String> permitted = new HashSet<>();
    Permissions.protectedOperations().forEach(o -> permitted.add(o.toString()));
    assertTrue(permitted.containsAll(documented), "every operation has a role in Permissions");
    assertTrue(Permissions.allows("rider", "POST", "/tasks/{taskId}/receipts"));
    assertTrue(!Permissions.allows("manager", "POST", "/tasks/{taskId}/receipts"));
    assertTrue(Permissions.allows("manager", "PATCH", "/receipts/{receiptId}"));
    assertTrue(!Permissions.allows("rider", "PATCH", "/receipts/{receiptId}"));
    assertTrue(!Permissions.allows("rider", "GET", "/receipts"));
  }

  @Test
  void schemasArePrefixedInputsStrictAndTheReceiptFullyDocumented() throws Exception {
    Map<String, Object> components = map(doc.get("components"));
    for (String section : List.of("schemas", "parameters", "responses")) {
      for (String name : map(components.get(section)).keySet()) {
        assertTrue(name.startsWith("Receipts"), section + " " + name + " is prefixed Receipts");
      }
    }
    Map<String, Object> schemas = map(components.get("schemas"));
    assertEquals(ReceiptsHandler.UPLOAD_FIELDS, map(map(schemas.get("ReceiptsUploadInput")).get("properties")).keySet());
    assertEquals(ReceiptsHandler.REVIEW_FIELDS, map(map(schemas.get("ReceiptsReviewInput")).get("properties")).keySet());
    for (String input : List.of("ReceiptsUploadInput", "ReceiptsReviewInput")) {
      assertEquals(false, map(schemas.get(input)).get("additionalProperties"), input);
    }
    assertEquals(Receipt.CONTENT_TYPES,
        map(map(map(schemas.get("ReceiptsUploadInput")).get("properties")).get("contentType")).get("enum"));
    assertEquals(Receipt.STATUSES, map(schemas.get("ReceiptsStatus")).get("enum"));
    Set<String> props = map(map(schemas.get("ReceiptsReceipt")).get("properties")).keySet();
    String task = kit.task("in_progress", ReceiptTestKit.RIDER);
    var grant = kit.grant(task, ReceiptTestKit.RIDER, "image/png");
    Set<String> written = grant.getJsonObject("receipt").fieldNames();
    assertEquals(props, written);
    assertEquals(map(map(schemas.get("ReceiptsUploadForm")).get("properties")).keySet(),
        grant.getJsonObject("upload").fieldNames());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }
}
