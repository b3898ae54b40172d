package io.tracklane.backoffice.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.LocalSchedule;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The local stack's report schedule (no Vert.x: a thread of its own) generates the last complete
 * week and month on its first run, at the context's clock, as the EventBridge-run function does on
 * AWS; closing it stops the thread.
 */
class LocalReportScheduleTest {

  @Test
  void theFirstRunGeneratesTheLastWeekAndMonthAndCloseStopsTheSchedule() throws Exception {
    try (ReportTestKit kit = new ReportTestKit()) {
      LocalSchedule schedule =
          LocalReportSchedule.start(kit.ctx, Duration.ZERO, Duration.ofHours(1));
      List<String> labels = new ArrayList<>();
      try {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (labels.size() < 2 && System.nanoTime() < deadline) {
          Thread.sleep(100);
          labels.clear();
          JsonArray items = kit.list(Map.of()).body().getJsonArray("items");
          for (int i = 0; i < items.size(); i++) {
            if ("ready".equals(items.getJsonObject(i).getString("status")))
              labels.add(items.getJsonObject(i).getString("label"));
          }
        }
      } finally {
        schedule.close();
      }
      // the kit's clock is Wednesday 2026-12-02 (Beijing): last complete week W48, month November
      assertEquals(List.of("2026-11", "2026-W48"), labels.stream().sorted().toList(), "" + labels);
      assertTrue(schedule.isClosed());
    }
  }
}
