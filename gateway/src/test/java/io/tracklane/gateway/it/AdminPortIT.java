package io.tracklane.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Health checks and metrics answer on the admin port only; the public HTTP port knows nothing of
 * them.
 */
class AdminPortIT {
  private static final List<String> ADMIN_PATHS =
      List.of("/metrics", "/health/live", "/health/ready");

  @Test
  void healthAndMetricsAreOnTheAdminPortAndNotFoundOnThePublicOne() throws Exception {
    try (GatewayHarness h = GatewayHarness.start(false, Map.of())) {
      assertNotEquals(h.httpPort(), h.adminPort());
      assertEquals(200, h.admin("/health/live").statusCode());
      assertEquals(200, h.admin("/health/ready").statusCode());
      var metrics = h.admin("/metrics");
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.body().contains("tracklane_writer_queue_depth"), "Prometheus text");
      for (String path : ADMIN_PATHS) {
        var r = h.get(path);
        assertEquals(404, r.statusCode(), path + " on the public port: " + r.body());
        assertTrue(r.body().contains("not_found"), r.body());
      }
      assertEquals(
          404, h.admin("/v1/tasks/task-1/fixes").statusCode(), "no ingest on the admin port");
    }
  }
}
