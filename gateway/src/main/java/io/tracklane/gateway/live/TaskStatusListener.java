package io.tracklane.gateway.live;

import io.tracklane.core.StatusChannels;
import io.tracklane.gateway.notify.PgChannelListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on the back office's Postgres channel {@value StatusChannels#TASK_STATUS} (a {@code
 * pg_notify} inside every task transition's transaction: {@code
 * {"taskId","status","riderId","at"}}) and publishes each notification as a {@code task_status}
 * event to this instance's local consumers of {@link LiveEvents#ADDRESS} (every instance listens
 * itself, so a cluster-wide publish would duplicate it).
 *
 * <p>Connection loss and reconnects: {@link PgChannelListener}.
 */
public final class TaskStatusListener {
  private static final Logger log = LoggerFactory.getLogger(TaskStatusListener.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final PgChannelListener listener;

  private TaskStatusListener(PgChannelListener listener) {
    this.listener = listener;
  }

  /** Starts listening; a first connection that fails is retried in the background. */
  public static TaskStatusListener start(Vertx vertx, PgConnectOptions connect) {
    // Notifications missed while away are not replayed: a task that ended meanwhile leaves the
    // live state when it goes idle.
    return new TaskStatusListener(
        PgChannelListener.start(
            vertx, connect, StatusChannels.TASK_STATUS, n -> notified(vertx, n), () -> {}));
  }

  public Future<Void> close() {
    return listener.close();
  }

  /** Whether the channel is being listened to (LISTEN acknowledged on an open connection). */
  public boolean listening() {
    return listener.listening();
  }

  private static void notified(Vertx vertx, JsonObject n) {
    String taskId = n.getValue("taskId") instanceof String s ? s : null;
    String status = n.getValue("status") instanceof String s ? s : null;
    if (taskId == null || status == null) {
      log.warn("task status listener: ignoring a notification without taskId and status");
      return;
    }
    JsonObject event =
        new JsonObject()
            .put("event", LiveEvents.TASK_STATUS)
            .put("taskId", taskId)
            .put("status", status)
            .put("riderId", n.getValue("riderId") instanceof String r ? r : null)
            .put("at", n.getValue("at") instanceof String at ? at : null);
    vertx.eventBus().publish(LiveEvents.ADDRESS, event, LOCAL);
  }
}
