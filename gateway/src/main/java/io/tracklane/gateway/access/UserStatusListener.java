package io.tracklane.gateway.access;

import io.tracklane.gateway.live.TaskStatusListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on the back office's Postgres channel {@value #CHANNEL}: a {@code pg_notify} inside the
 * transaction that (de)activates a user, payload {@code {"userId","active","at"}}. Each one goes to
 * {@code changed(userId, active)}.
 *
 * <p>A lost connection is re-established with the same capped backoff as the task status listener.
 * Postgres does not queue notifications for a listener that is away, so every LISTEN after the
 * first calls {@code resync}: the caller drops its cached answers and checks its open sessions again.
 */
public final class UserStatusListener {
  public static final String CHANNEL = "tracklane_user_status";
  private static final Logger log = LoggerFactory.getLogger(UserStatusListener.class);

  private final Vertx vertx;
  private final PgSubscriber subscriber;
  private final BiConsumer<String, Boolean> changed;
  private volatile boolean closed;
  private volatile boolean listening;
  private boolean listenedBefore;
  private int connectFailures;

  private UserStatusListener(Vertx vertx, PgConnectOptions connect, BiConsumer<String, Boolean> changed,
      Runnable resync) {
    this.vertx = vertx;
    this.changed = changed;
    this.subscriber = PgSubscriber.subscriber(vertx, connect).reconnectPolicy(TaskStatusListener::backoff);
    subscriber.channel(CHANNEL)
        .subscribeHandler(v -> {
          listening = true;
          log.info("listening for user status changes on Postgres channel {}", CHANNEL);
          if (listenedBefore) resync.run();
          listenedBefore = true;
        })
        .endHandler(v -> listening = false)
        .handler(this::notified);
    subscriber.closeHandler(v -> {
      listening = false;
      if (!closed) log.warn("user status listener: connection lost for good");
    });
  }

  /**
   * Starts listening; a first connection that fails is retried in the background. Handlers run on
   * the subscriber's connection context.
   */
  public static UserStatusListener start(Vertx vertx, PgConnectOptions connect, BiConsumer<String, Boolean> changed,
      Runnable resync) {
    UserStatusListener l = new UserStatusListener(vertx, connect, changed, resync);
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

  private void connect() {
    if (closed) return;
    subscriber.connect().onComplete(ar -> {
      if (ar.succeeded()) {
        connectFailures = 0;
        return;
      }
      long delay = TaskStatusListener.backoff(connectFailures++);
      log.warn("user status listener: cannot connect to Postgres ({}); retrying in {} ms", ar.cause().getMessage(), delay);
      if (!closed) vertx.setTimer(delay, id -> connect());
    });
  }

  private void notified(String payload) {
    JsonObject n;
    try {
      n = new JsonObject(payload);
    } catch (RuntimeException e) {
      log.warn("user status listener: ignoring a notification that is not JSON");
      return;
    }
    if (!(n.getValue("userId") instanceof String userId) || !(n.getValue("active") instanceof Boolean active)) {
      log.warn("user status listener: ignoring a notification without userId and active");
      return;
    }
    changed.accept(userId, active);
  }
}
