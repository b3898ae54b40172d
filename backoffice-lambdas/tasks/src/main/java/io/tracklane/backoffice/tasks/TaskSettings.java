package io.tracklane.backoffice.tasks;

import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.core.config.Setting;
import io.tracklane.core.config.Settings;
import java.time.Duration;
import java.util.List;

/**
 * The tasks unit's settings: claims per rider and the completion checks of {@link RideEvidence}.
 */
public final class TaskSettings {
  private TaskSettings() {}

  public static final Setting<Integer> MAX_ACTIVE_TASKS_PER_RIDER =
      Setting.integer(
          "TRACKLANE_MAX_ACTIVE_TASKS_PER_RIDER",
          1,
          1,
          1000,
          "tasks a rider may hold claimed or in progress at once");
  public static final Setting<Duration> COMPLETION_CLOCK_SKEW_SECONDS =
      Setting.seconds(
          "TRACKLANE_COMPLETION_CLOCK_SKEW_SECONDS",
          120,
          0,
          3600,
          "a phone clock's allowed error: completion counts only fixes timed from the task's start to completion,"
              + " each end widened by this much");
  public static final Setting<Boolean> COMPLETION_TIME_CHECKS =
      Setting.bool(
          "TRACKLANE_COMPLETION_TIME_CHECKS",
          true,
          "`false` counts every stored fix and never holds a burst-uploaded ride for review; only for the local demo"
              + " fleet, which replays rides faster than real time (the local stack sets `false`)");

  public static final Setting<Duration> TRACK_CADENCE_SECONDS =
      Setting.seconds(
          "TRACKLANE_TRACK_CADENCE_SECONDS",
          10,
          1,
          3600,
          "the reporting interval asked of a rider's phone during a task: track completeness expects one fix per"
              + " this much ride time");

  /** The completion checks' settings ({@link RideEvidence.Settings}). */
  public static final List<Setting<?>> COMPLETION =
      List.of(COMPLETION_CLOCK_SKEW_SECONDS, COMPLETION_TIME_CHECKS);

  /** The unit's own settings, in the README's order. */
  public static final List<Setting<?>> OWN =
      List.of(
          MAX_ACTIVE_TASKS_PER_RIDER,
          COMPLETION_CLOCK_SKEW_SECONDS,
          COMPLETION_TIME_CHECKS,
          TRACK_CADENCE_SECONDS);

  /** Everything the tasks unit reads, validated together at init. */
  public static final List<Setting<?>> ALL =
      Settings.all(
          BackofficeSettings.DATABASE,
          List.of(
              BackofficeSettings.FIXES_TABLE,
              BackofficeSettings.DYNAMODB_ENDPOINT,
              BackofficeSettings.AWS_REGION),
          OWN);
}
