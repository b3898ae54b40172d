package io.tracklane.gateway.live;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans the live events of the event bus out to this instance's connected clients. One consumer of
 * {@link LiveEvents#ADDRESS} and one of {@link LiveEvents#FIXES_ADDRESS} per instance: each event
 * is encoded once and offered to every client (its filter decides). On the gateway's event loop
 * only.
 */
public final class LiveHub {
  private static final Logger log = LoggerFactory.getLogger(LiveHub.class);

  private final Vertx vertx;
  private final LiveTracking state;
  private final LiveMetrics metrics;
  private final int queueLimit;
  private final long heartbeatMs;
  private final Predicate<String> coalescable;
  private final Set<LiveClient> clients = new LinkedHashSet<>();
  private MessageConsumer<JsonObject> consumer;
  private MessageConsumer<LiveFixBatch> fixConsumer;
  private long heartbeatTimer = -1;
  private boolean closing;

  /**
   * @param coalescable which event kinds a slow client may receive only the latest of per task
   */
  public LiveHub(
      Vertx vertx,
      LiveTracking state,
      LiveMetrics metrics,
      int queueLimit,
      long heartbeatMs,
      Predicate<String> coalescable) {
    this.vertx = vertx;
    this.state = state;
    this.metrics = metrics;
    this.queueLimit = queueLimit;
    this.heartbeatMs = heartbeatMs;
    this.coalescable = coalescable;
    metrics.clients(clients::size);
  }

  /** Subscribes (cluster-wide when clustered); completes once the subscription is registered. */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(LiveEvents.ADDRESS, msg -> dispatch(msg.body()));
    fixConsumer =
        LiveFixBatch.subscribe(
            vertx,
            f -> {
              // no client here: nothing to encode (the common case on most instances)
              if (!clients.isEmpty()) dispatch(f.toEvent());
            });
    heartbeatTimer = vertx.setPeriodic(heartbeatMs, id -> heartbeatAll());
    return Future.all(consumer.completion(), fixConsumer.completion()).mapEmpty();
  }

  /**
   * Attaches a client: first one {@code task_snapshot} per task in the live state that its filter
   * matches, then {@code snapshot_complete}, then live events. Nothing can slip in between: the
   * snapshot and the registration happen in one turn of the event loop.
   */
  LiveClient attach(String who, LiveFilter filter, LiveClient.Transport transport) {
    LiveClient client = new LiveClient(who, filter, transport, queueLimit, metrics, this::detached);
    if (closing) {
      client.shut("gateway is shutting down", false);
      return client;
    }
    clients.add(client);
    List<JsonObject> snapshot = state.snapshot(filter);
    for (JsonObject s : snapshot) client.send(LiveEvent.of(s, false));
    client.send(
        LiveEvent.of(
            new JsonObject()
                .put("event", LiveEvents.SNAPSHOT_COMPLETE)
                .put("tasks", snapshot.size()),
            false));
    log.debug("live client {} attached ({} tasks in its snapshot)", who, snapshot.size());
    return client;
  }

  public int clientCount() {
    return clients.size();
  }

  /** Ends every client's stream and stops listening. */
  public Future<Void> close() {
    closing = true;
    if (heartbeatTimer >= 0) vertx.cancelTimer(heartbeatTimer);
    for (LiveClient c : new ArrayList<>(clients)) c.shut("gateway is shutting down", false);
    if (consumer == null) return Future.succeededFuture();
    return Future.all(consumer.unregister(), fixConsumer.unregister()).mapEmpty();
  }

  private void dispatch(JsonObject body) {
    if (clients.isEmpty()) return;
    String type = body.getString("event");
    if (type == null) return;
    LiveEvent event = LiveEvent.of(body, coalescable.test(type));
    // offer() may detach a client (too slow): iterate over a copy
    for (LiveClient c : clients.toArray(new LiveClient[0])) c.offer(event);
  }

  private void heartbeatAll() {
    for (LiveClient c : clients.toArray(new LiveClient[0])) c.heartbeat();
  }

  private void detached(LiveClient client, String reason) {
    if (clients.remove(client)) log.debug("live client {} detached: {}", client.who, reason);
  }
}
