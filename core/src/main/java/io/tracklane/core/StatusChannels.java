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

  private StatusChannels() {}
}
