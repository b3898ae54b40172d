package io.tracklane.gateway.offers;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A change of the offers pool: a task is {@code offer}ed (new, back after a release, or edited),
 * {@code taken} (claimed by a rider) or {@code withdrawn} (cancelled, expired, its window passed,
 * or gone). Encoded per rider: the claimer reads {@code byYou: true}, and an offer carries the
 * rider's distance to the route's start when their position is recent.
 */
public record OfferEvent(Kind kind, String taskId, Offer offer, String claimedBy, String reason) {
  public static final String OFFER = "offer";
  public static final String TAKEN = "taken";
  public static final String WITHDRAWN = "withdrawn";
  public static final String SNAPSHOT_COMPLETE = "snapshot_complete";

  /** What happened to the task. */
  public enum Kind {
    OFFER,
    TAKEN,
    WITHDRAWN
  }

  static OfferEvent offer(Offer offer) {
    return new OfferEvent(Kind.OFFER, offer.taskId(), offer, null, null);
  }

  static OfferEvent taken(String taskId, String claimedBy) {
    return new OfferEvent(Kind.TAKEN, taskId, null, claimedBy, null);
  }

  static OfferEvent withdrawn(String taskId, String reason) {
    return new OfferEvent(Kind.WITHDRAWN, taskId, null, null, reason);
  }

  /** The event as {@code riderId} receives it ({@code position} null when not recent). */
  JsonObject toJson(String riderId, RiderPositions.Position position) {
    return switch (kind) {
      case OFFER ->
          offer.toJson(
              position == null ? null : offer.distanceFrom(position.lat(), position.lon()));
      case TAKEN ->
          new JsonObject()
              .put("event", TAKEN)
              .put("taskId", taskId)
              .put("byYou", claimedBy != null && Objects.equals(claimedBy, riderId));
      case WITHDRAWN ->
          new JsonObject().put("event", WITHDRAWN).put("taskId", taskId).put("reason", reason);
    };
  }
}
