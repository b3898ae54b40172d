package io.tracklane.backoffice.reports;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.OpenApiFragmentCheck;
import io.tracklane.core.auth.Permissions;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI fragment describes exactly what the handler serves; only managers and admins may call
 * it.
 */
class ReportsOpenApiTest {
  @Test
  void coversExactlyTheHandlersOperationsForStaffOnly() throws Exception {
    Map<String, Object> doc = OpenApiFragmentCheck.load("openapi/reports.yaml");
    Set<String> documented;
    try (ReportTestKit kit = new ReportTestKit()) {
      documented =
          OpenApiFragmentCheck.assertCoversExactly(doc, "reports", kit.handler.operations());
    }
    for (String key : documented) {
      String[] mp = key.split(" ");
      assertTrue(Permissions.allows("manager", mp[0], mp[1]), key + " for managers");
      assertTrue(Permissions.allows("admin", mp[0], mp[1]), key + " for admins");
      assertFalse(Permissions.allows("rider", mp[0], mp[1]), key + " not for riders");
    }
    OpenApiFragmentCheck.assertComponentsPrefixed(doc, "Reports");
  }
}
