package io.tracklane.backoffice.routes;

import io.tracklane.core.progress.CheckpointRadius;
import io.tracklane.core.progress.ProgressConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Locale;

/**
 * Warnings (not errors: the route is saved) for checkpoints whose radius is below {@link
 * CheckpointRadius#minimumM} for riders at {@link #EXPECTED_SPEED_MPS} sending a fix every {@link
 * #CADENCE}: such a checkpoint may be passed without being reached, and completion then refused.
 */
final class CheckpointRadiusWarnings {
  /**
   * The speed routes are expected to be ridden at (8 m/s ≈ 29 km/h: a bicycle or scooter in town).
   */
  static final double EXPECTED_SPEED_MPS = 8;

  /** The riders' fix cadence the gateway is tuned for. */
  static final Duration CADENCE = Duration.ofSeconds(10);

  private CheckpointRadiusWarnings() {}

  /** {@code [{field, message}]} for each checkpoint below the minimum radius; empty if none. */
  static JsonArray of(JsonArray checkpoints) {
    double minimum =
        CheckpointRadius.minimumM(EXPECTED_SPEED_MPS, CADENCE, ProgressConfig.DEFAULTS);
    JsonArray out = new JsonArray();
    for (int i = 0; i < checkpoints.size(); i++) {
      JsonObject cp = checkpoints.getJsonObject(i);
      double radius = cp.getDouble("radiusM");
      if (radius < minimum) {
        out.add(
            new JsonObject()
                .put("field", "checkpoints[" + i + "].radiusM")
                .put(
                    "message",
                    String.format(
                        Locale.ROOT,
                        "%.0f m is below the %.0f m a rider at %.0f m/s with a fix every %d s is sure to reach; it may be passed"
                            + " without being reached",
                        radius,
                        Math.ceil(minimum),
                        EXPECTED_SPEED_MPS,
                        CADENCE.toSeconds())));
      }
    }
    return out;
  }
}
