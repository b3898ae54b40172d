package io.tracklane.core.progress;

import io.vertx.core.json.JsonObject;

/**
 * The state of a task after an accepted fix: emitted for every accepted fix, first among that fix's
 * events.
 *
 * @param taskId the task
 * @param ts epoch ms of the fix
 * @param lat the fix's latitude
 * @param lon the fix's longitude
 * @param alongM progress: metres along the route (never decreases)
 * @param lengthM the route's length in metres
 * @param percent {@code 100 × alongM / lengthM}, 0..100
 * @param offRouteM metres from the fix to the route
 * @param onRoute false while the rider is off route (between OFF_ROUTE and BACK_ON_ROUTE)
 * @param speedMps smoothed along-route speed, null while unknown
 * @param etaSeconds seconds to the end of the route, null while unknown or stopped, 0 once arrived
 * @param checkpointsReached how many checkpoints have been reached
 * @param checkpointsTotal how many checkpoints the route has
 */
public record ProgressUpdate(
    String taskId,
    long ts,
    double lat,
    double lon,
    double alongM,
    double lengthM,
    double percent,
    double offRouteM,
    boolean onRoute,
    Double speedMps,
    Long etaSeconds,
    int checkpointsReached,
    int checkpointsTotal)
    implements ProgressEvent {

  /**
   * {@code {"event": "progress", taskId, ts, lat, lon, alongM, lengthM, percent, offRouteM,
   * onRoute, speedMps, etaSeconds, checkpointsReached, checkpointsTotal}}; metres rounded to 0.1,
   * percent and speed to 0.01; speedMps and etaSeconds are null while unknown.
   */
  @Override
  public JsonObject toJson() {
    return new JsonObject()
        .put("event", "progress")
        .put("taskId", taskId)
        .put("ts", ts)
        .put("lat", lat)
        .put("lon", lon)
        .put("alongM", Rounding.tenths(alongM))
        .put("lengthM", Rounding.tenths(lengthM))
        .put("percent", Rounding.hundredths(percent))
        .put("offRouteM", Rounding.tenths(offRouteM))
        .put("onRoute", onRoute)
        .put("speedMps", Rounding.hundredths(speedMps))
        .put("etaSeconds", etaSeconds)
        .put("checkpointsReached", checkpointsReached)
        .put("checkpointsTotal", checkpointsTotal);
  }
}
