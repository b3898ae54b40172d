package io.tracklane.core.progress;

import java.util.Locale;

/** What an {@link Alert} reports. */
public enum AlertType {
  OFF_ROUTE,
  BACK_ON_ROUTE,
  CHECKPOINT_REACHED,
  STOPPED,
  MOVING,
  ARRIVED;

  /** The wire name: lower snake case, e.g. {@code off_route}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
