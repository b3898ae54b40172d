package io.tracklane.core.progress;

import io.vertx.core.json.JsonObject;

/**
 * The whole state of a task's progress, for a manager who opens the live view mid-task.
 *
 * @param taskId the task
 * @param routeId the route
 * @param lastSeenTs epoch ms of the newest fix received, accepted or not (null before any)
 * @param ts epoch ms of the last accepted fix (null before any)
 * @param lat the last accepted fix's latitude (null before any)
 * @param lon the last accepted fix's longitude (null before any)
 * @param alongM progress in metres along the route
 * @param lengthM the route's length in metres
 * @param percent {@code 100 × alongM / lengthM}
 * @param offRouteM metres from the last accepted fix to the route (null before any)
 * @param onRoute false while off route
 * @param stopped true between STOPPED and MOVING
 * @param arrived true once ARRIVED was raised
 * @param speedMps smoothed along-route speed (null while unknown)
 * @param etaSeconds seconds to the end (null while unknown or stopped, 0 once arrived)
 * @param checkpointsReached how many checkpoints have been reached
 * @param checkpointsTotal how many checkpoints the route has
 * @param acceptedFixes fixes that updated the state
 * @param ignoredFixes fixes that did not (late, duplicate, inaccurate, implausible, invalid)
 */
public record ProgressSnapshot(
    String taskId,
    String routeId,
    Long lastSeenTs,
    Long ts,
    Double lat,
    Double lon,
    double alongM,
    double lengthM,
    double percent,
    Double offRouteM,
    boolean onRoute,
    boolean stopped,
    boolean arrived,
    Double speedMps,
    Long etaSeconds,
    int checkpointsReached,
    int checkpointsTotal,
    long acceptedFixes,
    long ignoredFixes) {

  /** The wire form ({@code "event": "snapshot"}), rounded like {@link ProgressUpdate#toJson()}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("event", "snapshot")
        .put("taskId", taskId)
        .put("routeId", routeId)
        .put("lastSeenTs", lastSeenTs)
        .put("ts", ts)
        .put("lat", lat)
        .put("lon", lon)
        .put("alongM", Rounding.tenths(alongM))
        .put("lengthM", Rounding.tenths(lengthM))
        .put("percent", Rounding.hundredths(percent))
        .put("offRouteM", offRouteM == null ? null : Rounding.tenths(offRouteM))
        .put("onRoute", onRoute)
        .put("stopped", stopped)
        .put("arrived", arrived)
        .put("speedMps", Rounding.hundredths(speedMps))
        .put("etaSeconds", etaSeconds)
        .put("checkpointsReached", checkpointsReached)
        .put("checkpointsTotal", checkpointsTotal)
        .put("acceptedFixes", acceptedFixes)
        .put("ignoredFixes", ignoredFixes);
  }
}
