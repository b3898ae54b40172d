package io.tracklane.gateway.live;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on the back office's Postgres channel {@value #CHANNEL} (a {@code pg_notify} inside every
 * task transition's transaction: {@code {"taskId","status","riderId","at"}}) and publishes each
 * notification as a {@code task_status} event to this instance's local consumers of
 * {@link LiveEvents#ADDRESS} (every instance listens itself, so a cluster-wide publish would
 * duplicate it).
 *
 * <p>A lost connection is re-established with capped exponential backoff (500 ms · 2^n, at most
 * 30 s), and the channel is listened to again. Notifications sent while no connection was open are
 * lost (Postgres does not queue them): a task that ended meanwhile leaves the live state when it
 * goes idle.
 */
public final class TaskStatusListener {
  public static final String CHANNEL = "tracklane_task_status";
  private static final Logger log = LoggerFactory.getLogger(TaskStatusListener.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  public static final long MAX_BACKOFF_MS = 30_000;

  private final Vertx vertx;
  private final PgSubscriber subscriber;
  private volatile boolean closed;
  private volatile boolean listening;
  private int connectFailures;

  private TaskStatusListener(Vertx vertx, PgConnectOptions connect) {
    this.vertx = vertx;
    this.subscriber = PgSubscriber.subscriber(vertx, connect).reconnectPolicy(TaskStatusListener::backoff);
    subscriber.channel(CHANNEL)
        .subscribeHandler(v -> {
          listening = true;
          log.info("listening for task status changes on Postgres channel {}", CHANNEL);
        })
        .endHandler(v -> listening = false)
        .handler(this::notified);
    subscriber.closeHandler(v -> {
      listening = false;
      if (!closed) log.warn("task status listener: connection lost for good");
    });
  }

  /** Starts listening; a first connection that fails is retried in the background. */
  public static TaskStatusListener start(Vertx vertx, PgConnectOptions connect) {
    TaskStatusListener l = new TaskStatusListener(vertx, connect);
    l.connect();
    return l;
  }

  public Future<Void> close() {
    closed = true;
    return subscriber.close();
  }

  /** Whether the channel is being listened to (LISTEN acknowledged on an open connection). */
  public boolean listening() {
    return listening && !subscriber.closed();
  }

  public static long backoff(int retries) {
    return Math.min(MAX_BACKOFF_MS, 500L << Math.min(retries, 6));
  }

  private void connect() {
    if (closed) return;
    subscriber.connect().onComplete(ar -> {
      if (ar.succeeded()) {
        connectFailures = 0;
        return;
      }
      long delay = backoff(connectFailures++);
      log.warn("task status listener: cannot connect to Postgres ({}); retrying in {} ms", ar.cause().getMessage(), delay);
      if (!closed) vertx.setTimer(delay, id -> connect());
    });
  }

  private void notified(String payload) {
    JsonObject n;
    try {
      n = new JsonObject(payload);
    } catch (RuntimeException e) {
      log.warn("task status listener: ignoring a notification that is not JSON");
      return;
    }
    String taskId = n.getValue("taskId") instanceof String s ? s : null;
    String status = n.getValue("status") instanceof String s ? s : null;
    if (taskId == null || status == null) {
      log.warn("task status listener: ignoring a notification without taskId and status");
      return;
    }
    JsonObject event = new JsonObject().put("event", LiveEvents.TASK_STATUS).put("taskId", taskId).put("status", status)
        .put("riderId", n.getValue("riderId") instanceof String r ? r : null)
        .put("at", n.getValue("at") instanceof String at ? at : null);
    vertx.eventBus().publish(LiveEvents.ADDRESS, event, LOCAL);
  }
}
