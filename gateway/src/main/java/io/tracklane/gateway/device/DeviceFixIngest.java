package io.tracklane.gateway.device;

import io.tracklane.core.fix.FixPayloadParser;
import io.tracklane.core.fix.ParsedFixes;
import io.tracklane.gateway.access.Device;
import io.tracklane.gateway.access.RiderTasks;
import io.tracklane.gateway.auth.UserCheckFailed;
import io.tracklane.gateway.ingest.FixIngest;
import io.tracklane.gateway.ingest.Rejection;
import io.tracklane.gateway.metrics.GatewayMetrics;
import io.vertx.core.Future;
import java.time.Clock;

/**
 * A phone app's fix on its way to storage: validated like every fix (the errors name the app's own
 * fields), put on the rider's task in progress and written by the same {@link FixIngest} path
 * (admission, {@code FixBatchWriter}, live stream), so it succeeds only after the durable write.
 * With no task in progress (or for a fix taken before the task started, {@link
 * #START_TOLERANCE_MS}) the fix is not stored, for the rider's privacy, but the future succeeds
 * ({@link Outcome#OUTSIDE_TASK}) so the phone's queue drains; metric {@code
 * tracklane_fixes_outside_task_total{protocol}}.
 */
public final class DeviceFixIngest {
  /**
   * How long before the task's start a fix may be taken and still belong to it: the phone's clock
   * may lag the database's. An older fix (buffered offline before the task, uploaded during it) was
   * taken outside the task and is not stored.
   */
  public static final long START_TOLERANCE_MS = 60_000;

  public enum Outcome {
    STORED,
    OUTSIDE_TASK
  }

  private final FixIngest ingest;
  private final FixPayloadParser parser;
  private final RiderTasks tasks;
  private final GatewayMetrics metrics;
  private final Clock clock;

  public DeviceFixIngest(
      FixIngest ingest,
      FixPayloadParser parser,
      RiderTasks tasks,
      GatewayMetrics metrics,
      Clock clock) {
    this.ingest = ingest;
    this.parser = parser;
    this.tasks = tasks;
    this.metrics = metrics;
    this.clock = clock;
  }

  public RiderTasks tasks() {
    return tasks;
  }

  /** Whether a fix taken at {@code ts} belongs to {@code task}. */
  static boolean during(RiderTasks.InProgress task, long ts) {
    if (task.taskId() == null) return false;
    return task.startedAtMs() == null || ts >= task.startedAtMs() - START_TOLERANCE_MS;
  }

  /**
   * @param protocol osmand, owntracks-http or owntracks-mqtt (the metrics' label)
   */
  public Future<Outcome> ingest(String protocol, Device device, DecodedFix fix, int queueLimit) {
    long started = System.nanoTime();
    if (!ingest.isAccepting()) {
      metrics.rejected(Rejection.Reason.SHUTTING_DOWN.metricName, 1);
      return Future.failedFuture(
          new Rejection(Rejection.Reason.SHUTTING_DOWN, "gateway is shutting down; retry"));
    }
    long now = clock.millis();
    ParsedFixes parsed = fix.validate(parser, now);
    if (!parsed.isValid()) {
      metrics.rejected(Rejection.Reason.BAD_PAYLOAD.metricName, 1);
      return Future.failedFuture(
          new Rejection(
              Rejection.Reason.BAD_PAYLOAD, parsed.errors().get(0).toString(), parsed.errors()));
    }
    return tasks
        .current(device.userId())
        .recover(err -> Future.failedFuture(new UserCheckFailed(err)))
        .compose(
            task -> {
              if (!during(task, parsed.fixes().get(0).ts())) {
                metrics.fixesOutsideTask(protocol, parsed.fixes().size());
                return Future.succeededFuture(Outcome.OUTSIDE_TASK);
              }
              return ingest
                  .write(
                      protocol,
                      device.userId(),
                      task.taskId(),
                      parsed.fixes(),
                      now,
                      queueLimit,
                      started)
                  .map(n -> Outcome.STORED);
            });
  }
}
