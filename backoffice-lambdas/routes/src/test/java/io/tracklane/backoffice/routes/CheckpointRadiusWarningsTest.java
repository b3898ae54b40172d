package io.tracklane.backoffice.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.progress.CheckpointRadius;
import io.tracklane.core.progress.ProgressConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CheckpointRadiusWarningsTest {
  @Test
  void theDocumentedMinimumRadius() {
    // 20 m of GPS error + speed × cadence / (2√2) while legs count, / 2 beyond checkpointPathMaxGap
    assertEquals(
        20 + 50 / (2 * Math.sqrt(2)),
        CheckpointRadius.minimumM(5, Duration.ofSeconds(10), ProgressConfig.DEFAULTS),
        0.01);
    assertEquals(
        20 + 150 / (2 * Math.sqrt(2)),
        CheckpointRadius.minimumM(15, Duration.ofSeconds(10), ProgressConfig.DEFAULTS),
        0.01);
    assertEquals(
        20 + 300 / 2.0,
        CheckpointRadius.minimumM(5, Duration.ofSeconds(60), ProgressConfig.DEFAULTS),
        0.01);
  }

  @Test
  void aRadiusBelowTheMinimumIsWarnedAboutNotRefused() {
    JsonArray cps =
        new JsonArray()
            .add(new JsonObject().put("name", "a").put("lat", 1).put("lon", 1).put("radiusM", 30))
            .add(new JsonObject().put("name", "b").put("lat", 1).put("lon", 1).put("radiusM", 60));
    JsonArray warnings = CheckpointRadiusWarnings.of(cps);
    assertEquals(1, warnings.size(), warnings.encode());
    assertEquals("checkpoints[0].radiusM", warnings.getJsonObject(0).getString("field"));
    assertTrue(
        warnings.getJsonObject(0).getString("message").contains("below the 49 m"),
        warnings.encode());
  }
}
