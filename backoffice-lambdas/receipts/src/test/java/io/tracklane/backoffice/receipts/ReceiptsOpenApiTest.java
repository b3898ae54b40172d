package io.tracklane.backoffice.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.OpenApiFragmentCheck;
import io.tracklane.core.auth.Permissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI fragment describes exactly what the handler serves, in the shape local-api merges.
 */
class ReceiptsOpenApiTest {
  private static ReceiptTestKit kit;
  private static Map<String, Object> doc;

  @BeforeAll
  static void load() throws Exception {
    kit = new ReceiptTestKit();
    doc = OpenApiFragmentCheck.load("openapi/receipts.yaml");
  }

  @AfterAll
  static void close() throws Exception {
    kit.close();
  }

  @Test
  void coversExactlyTheHandlersOperationsEachWithARole() {
    OpenApiFragmentCheck.assertCoversExactly(doc, "receipts", kit.handler.operations());
    assertTrue(Permissions.allows("rider", "POST", "/tasks/{taskId}/receipts"));
    assertTrue(!Permissions.allows("manager", "POST", "/tasks/{taskId}/receipts"));
    assertTrue(Permissions.allows("manager", "PATCH", "/receipts/{receiptId}"));
    assertTrue(!Permissions.allows("rider", "PATCH", "/receipts/{receiptId}"));
    assertTrue(!Permissions.allows("rider", "GET", "/receipts"));
  }

  @Test
  void schemasArePrefixedInputsStrictAndTheReceiptFullyDocumented() throws Exception {
    OpenApiFragmentCheck.assertComponentsPrefixed(doc, "Receipts");
    Map<String, Object> components = map(doc.get("components"));
    Map<String, Object> schemas = map(components.get("schemas"));
    assertEquals(
        ReceiptsHandler.UPLOAD_FIELDS,
        map(map(schemas.get("ReceiptsUploadInput")).get("properties")).keySet());
    assertEquals(
        ReceiptsHandler.REVIEW_FIELDS,
        map(map(schemas.get("ReceiptsReviewInput")).get("properties")).keySet());
    for (String input : List.of("ReceiptsUploadInput", "ReceiptsReviewInput")) {
      assertEquals(false, map(schemas.get(input)).get("additionalProperties"), input);
    }
    assertEquals(
        Receipt.CONTENT_TYPES,
        map(map(map(schemas.get("ReceiptsUploadInput")).get("properties")).get("contentType"))
            .get("enum"));
    assertEquals(Receipt.STATUSES, map(schemas.get("ReceiptsStatus")).get("enum"));
    Set<String> props = map(map(schemas.get("ReceiptsReceipt")).get("properties")).keySet();
    String task = kit.task("in_progress", ReceiptTestKit.RIDER);
    var grant = kit.grant(task, ReceiptTestKit.RIDER, "image/png");
    Set<String> written = grant.getJsonObject("receipt").fieldNames();
    assertEquals(props, written);
    assertEquals(
        map(map(schemas.get("ReceiptsUploadForm")).get("properties")).keySet(),
        grant.getJsonObject("upload").fieldNames());
  }

  private static Map<String, Object> map(Object o) {
    return OpenApiFragmentCheck.map(o);
  }
}
