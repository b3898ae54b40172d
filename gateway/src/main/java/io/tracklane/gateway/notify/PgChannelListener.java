package io.tracklane.gateway.notify;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on one Postgres channel of the back office's (a {@code pg_notify} inside the transaction
 * that made a change, with a JSON payload) and hands each notification's JSON to {@code handler}; a
 * payload that is not a JSON object is logged and dropped.
 *
 * <p>A lost connection is re-established with capped exponential backoff (500 ms · 2^n, at most 30
 * s), also for a first connection that fails, and the channel is listened to again. Postgres does
 * not queue notifications for a listener that is away, so every LISTEN after the first runs {@code
 * resubscribed}: the owner drops what it cached from notifications and checks again. Handlers run
 * on the subscriber's connection context.
 */
public final class PgChannelListener {
  private static final Logger log = LoggerFactory.getLogger(PgChannelListener.class);
  public static final long MAX_BACKOFF_MS = 30_000;

  private final Vertx vertx;
  private final String channel;
  private final PgSubscriber subscriber;
  private final Consumer<JsonObject> handler;
  private volatile boolean closed;
  private volatile boolean listening;
  private boolean listenedBefore;
  private int connectFailures;

  private PgChannelListener(
      Vertx vertx,
      PgConnectOptions connect,
      String channel,
      Consumer<JsonObject> handler,
      Runnable resubscribed,
      boolean resyncFirst) {
    this.vertx = vertx;
    this.channel = channel;
    this.handler = handler;
    this.subscriber =
        PgSubscriber.subscriber(vertx, connect).reconnectPolicy(PgChannelListener::backoff);
    subscriber
        .channel(channel)
        .subscribeHandler(
            v -> {
              listening = true;
              log.info("listening on Postgres channel {}", channel);
              if (listenedBefore || resyncFirst) resubscribed.run();
              listenedBefore = true;
            })
        .endHandler(v -> listening = false)
        .handler(this::notified);
    subscriber.closeHandler(
        v -> {
          listening = false;
          if (!closed) log.warn("listener on {}: connection lost for good", channel);
        });
  }

  /** Starts listening; a first connection that fails is retried in the background. */
  public static PgChannelListener start(
      Vertx vertx,
      PgConnectOptions connect,
      String channel,
      Consumer<JsonObject> handler,
      Runnable resubscribed) {
    PgChannelListener l =
        new PgChannelListener(vertx, connect, channel, handler, resubscribed, false);
    l.connect();
    return l;
  }

  /**
   * Like {@link #start}, but {@code listening} runs after every LISTEN, the first one included: for
   * an owner that reads its whole state once notifications are flowing (nothing is missed between
   * its read and the first notification).
   */
  public static PgChannelListener startSyncing(
      Vertx vertx,
      PgConnectOptions connect,
      String channel,
      Consumer<JsonObject> handler,
      Runnable listening) {
    PgChannelListener l = new PgChannelListener(vertx, connect, channel, handler, listening, true);
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

  static long backoff(int retries) {
    return Math.min(MAX_BACKOFF_MS, 500L << Math.min(retries, 6));
  }

  private void connect() {
    if (closed) return;
    subscriber
        .connect()
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                connectFailures = 0;
                return;
              }
              long delay = backoff(connectFailures++);
              log.warn(
                  "listener on {}: cannot connect to Postgres ({}); retrying in {} ms",
                  channel,
                  ar.cause().getMessage(),
                  delay);
              if (!closed) vertx.setTimer(delay, id -> connect());
            });
  }

  private void notified(String payload) {
    JsonObject n;
    try {
      n = new JsonObject(payload);
    } catch (RuntimeException e) {
      log.warn("listener on {}: ignoring a notification that is not a JSON object", channel);
      return;
    }
    handler.accept(n);
  }
}
