package io.tracklane.gateway.offers;

import io.tracklane.core.StatusChannels;
import io.tracklane.gateway.live.LiveFixBatch;
import io.tracklane.gateway.notify.PgChannelListener;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live task offers for riders: this instance's {@link OfferPool}, kept in step with the back
 * office, and its riders' subscriptions (MQTT and SSE).
 *
 * <p>Every instance LISTENs on {@value StatusChannels#TASK_OFFERS} itself (a trigger on {@code
 * tasks} notifies on commit), reads the rows it is told about, and fans the pool's events out to
 * its own subscribers only. Nothing about offers crosses the event bus, so a rider gets each event
 * once whichever instance it is connected to, and an instance joining or leaving changes nothing
 * for the others. The whole pool is read again after every LISTEN (at start and after the
 * connection came back), since Postgres does not keep notifications for a listener that is away.
 *
 * <p>The riders' positions (for the distance to a route's start) come from the live stream's {@code
 * fix} events, which every instance receives. On the gateway's event loop: notifications and query
 * answers are handed over to its context.
 */
public final class OffersHub {
  private static final Logger log = LoggerFactory.getLogger(OffersHub.class);
  private static final long TICK_MS = 1000;

  private final Vertx vertx;
  private final Context context;
  private final OfferSource source;
  private final OfferMetrics metrics;
  private final int queueLimit;
  private final Clock clock;
  private final OfferPool pool = new OfferPool(this::publish);
  private final RiderPositions positions;
  private final Set<OfferStream> streams = new LinkedHashSet<>();
  private MessageConsumer<LiveFixBatch> fixes;
  private PgChannelListener listener;
  private long ticker = -1;
  private boolean closing;

  public OffersHub(
      Vertx vertx,
      Context context,
      OfferSource source,
      OfferMetrics metrics,
      int queueLimit,
      long positionMaxAgeMs,
      Clock clock) {
    this.vertx = vertx;
    this.context = context;
    this.source = source;
    this.metrics = metrics;
    this.queueLimit = queueLimit;
    this.clock = clock;
    this.positions = new RiderPositions(positionMaxAgeMs);
    metrics.subscribers(streams::size);
    metrics.open(pool::size);
  }

  /** Follows riders' fixes and the windows of open tasks; call on the gateway's context. */
  public Future<Void> start() {
    fixes =
        LiveFixBatch.subscribe(
            vertx,
            f -> {
              if (f.riderId() != null)
                positions.update(f.riderId(), f.fix().lat(), f.fix().lon(), f.fix().ts());
            });
    ticker =
        vertx.setPeriodic(
            TICK_MS,
            id -> {
              pool.expire(clock.instant());
              positions.prune(clock.millis());
            });
    return fixes.completion();
  }

  /** LISTENs for task changes; the pool is read once the LISTEN is in place (and after each). */
  public void listen(PgConnectOptions connect) {
    listener =
        PgChannelListener.startSyncing(
            vertx,
            connect,
            StatusChannels.TASK_OFFERS,
            n -> context.runOnContext(v -> notified(n)),
            () -> context.runOnContext(v -> readAll()));
  }

  /** Whether task changes are being listened to. */
  public boolean listening() {
    return listener != null && listener.listening();
  }

  /**
   * Subscribes {@code riderId}: first an {@code offer} per open task, then {@code
   * snapshot_complete}, then live events, with nothing lost or repeated in between (one turn of the
   * event loop). Call on the gateway's context.
   */
  public OfferStream subscribe(String riderId, String transportName, OfferStream.Transport t) {
    OfferStream[] self = new OfferStream[1];
    OfferStream stream =
        new OfferStream(
            riderId, transportName, t, queueLimit, metrics, () -> streams.remove(self[0]));
    self[0] = stream;
    if (closing) {
      stream.shut("gateway is shutting down", false);
      return stream;
    }
    streams.add(stream);
    RiderPositions.Position at = positions.recent(riderId, clock.millis());
    List<Offer> open = pool.offers();
    for (Offer o : open) stream.send(o.taskId(), OfferEvent.offer(o).toJson(riderId, at));
    stream.send(
        null,
        new JsonObject().put("event", OfferEvent.SNAPSHOT_COMPLETE).put("offers", open.size()));
    return stream;
  }

  /** Ends the subscriptions of a deactivated rider. */
  public void disconnectUser(String riderId) {
    for (OfferStream s : new ArrayList<>(streams)) {
      if (s.riderId.equals(riderId)) s.shut("user deactivated", false);
    }
  }

  public int subscribers() {
    return streams.size();
  }

  /** Open tasks in the pool (call on the gateway's context). */
  public int openOffers() {
    return pool.size();
  }

  /** The ids of the open tasks in the pool, oldest first (call on the gateway's context). */
  public List<String> openTaskIds() {
    return pool.offers().stream().map(Offer::taskId).toList();
  }

  /** Whether a recent position of {@code riderId} is known (call on the gateway's context). */
  public boolean knowsPositionOf(String riderId) {
    return positions.recent(riderId, clock.millis()) != null;
  }

  /** Ends every subscription and stops listening. */
  public Future<Void> close() {
    closing = true;
    if (ticker >= 0) vertx.cancelTimer(ticker);
    for (OfferStream s : new ArrayList<>(streams)) s.shut("gateway is shutting down", false);
    return Future.join(
            listener == null ? Future.succeededFuture() : listener.close(),
            fixes == null ? Future.succeededFuture() : fixes.unregister())
        .mapEmpty();
  }

  private void notified(JsonObject n) {
    if (!(n.getValue("taskId") instanceof String taskId)) {
      log.warn("offers: ignoring a notification without taskId");
      return;
    }
    String status = n.getValue("status") instanceof String s ? s : null;
    String claimedBy = n.getValue("claimedBy") instanceof String c ? c : null;
    long ticket = pool.notified(taskId, status, claimedBy);
    if (ticket < 0) return;
    onContext(source.openTask(taskId))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                pool.read(taskId, ticket, ar.result());
              } else {
                log.warn("offers: could not read task {}: {}", taskId, ar.cause().getMessage());
                pool.readFailed(taskId, ticket);
              }
            });
  }

  private void readAll() {
    long ticket = pool.snapshotStarted();
    onContext(source.openTasks())
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                pool.snapshot(ticket, ar.result());
                log.info("offers: {} open tasks", pool.size());
              } else {
                log.warn("offers: could not read the open tasks: {}", ar.cause().getMessage());
                pool.snapshotFailed(ticket);
              }
            });
  }

  private void publish(OfferEvent event) {
    if (streams.isEmpty()) return;
    long now = clock.millis();
    JsonObject shared = null;
    for (OfferStream s : streams.toArray(new OfferStream[0])) {
      RiderPositions.Position at =
          event.kind() == OfferEvent.Kind.OFFER ? positions.recent(s.riderId, now) : null;
      JsonObject json;
      if (at == null && event.kind() != OfferEvent.Kind.TAKEN) {
        if (shared == null) shared = event.toJson(s.riderId, null);
        json = shared;
      } else {
        json = event.toJson(s.riderId, at);
      }
      s.send(event.taskId(), json);
    }
  }

  /** The answer on the gateway's context (the pool's connections may run on others). */
  private <T> Future<T> onContext(Future<T> f) {
    return Future.future(p -> f.onComplete(ar -> context.runOnContext(v -> p.handle(ar))));
  }
}
