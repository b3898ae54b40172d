package io.tracklane.core;

/**
 * The Postgres NOTIFY channels the back office announces status changes on and the gateway listens
 * to: named once here, so a sender and its listener cannot drift apart.
 */
public final class StatusChannels {
  /** A task changed status: payload {@code {"taskId","status","riderId","at"}}. */
  public static final String TASK_STATUS = "tracklane_task_status";

  /** A user was deactivated or reactivated (the gateway drops or admits their connections). */
  public static final String USER_STATUS = "tracklane_user_status";

  /**
   * A task was created, or its status or rider changed: payload {@code
   * {"taskId","status","claimedBy","op"}}. Sent by a trigger on {@code tasks} (migration
   * V8__task_offer_notify), so every path that writes a task announces itself on commit; the
   * gateway's offers read the task's row by id.
   */
  public static final String TASK_OFFERS = "tracklane_task_offers";

  /**
   * A rider device's key was revoked or deleted: payload {@code {"deviceId","userId","revoked"}}.
   * Sent by a trigger on {@code rider_devices} (migration V9__rider_devices); gateways drop the
   * cached key at once.
   */
  public static final String DEVICE_STATUS = "tracklane_device_status";

  private StatusChannels() {}
}
