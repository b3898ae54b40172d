package io.tracklane.gateway.offers;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * An open task as riders are offered it: what the task is worth, when it must be ridden, and a
 * summary of its route (the start is the route's first position, null when it has none).
 */
public record Offer(
    String taskId,
    String title,
    String bonusAmount,
    String bonusCurrency,
    Instant windowStart,
    Instant windowEnd,
    String routeId,
    String routeName,
    double routeLengthM,
    Double startLat,
    Double startLon) {

  private static final double EARTH_RADIUS_M = 6_371_008.8;

  /** The {@code offer} event; {@code distanceM} is added when known. */
  JsonObject toJson(Double distanceM) {
    JsonObject route =
        new JsonObject().put("id", routeId).put("name", routeName).put("lengthM", routeLengthM);
    if (startLat != null && startLon != null)
      route.put("start", new JsonObject().put("lat", startLat).put("lon", startLon));
    JsonObject e =
        new JsonObject()
            .put("event", OfferEvent.OFFER)
            .put("taskId", taskId)
            .put("title", title)
            .put("bonusAmount", bonusAmount)
            .put("bonusCurrency", bonusCurrency)
            .put("windowStart", windowStart.toString())
            .put("windowEnd", windowEnd.toString())
            .put("route", route);
    if (distanceM != null) e.put("distanceM", distanceM);
    return e;
  }

  /** Great-circle distance (m) from a position to the route's start; null without a start. */
  Double distanceFrom(double lat, double lon) {
    if (startLat == null || startLon == null) return null;
    double dLat = Math.toRadians(startLat - lat);
    double dLon = Math.toRadians(startLon - lon);
    double a =
        Math.pow(Math.sin(dLat / 2), 2)
            + Math.cos(Math.toRadians(lat))
                * Math.cos(Math.toRadians(startLat))
                * Math.pow(Math.sin(dLon / 2), 2);
    double m = 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
    return Math.round(m * 10) / 10.0;
  }
}
