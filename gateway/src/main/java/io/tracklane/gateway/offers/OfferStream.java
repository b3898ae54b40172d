package io.tracklane.gateway.offers;

import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * One rider's subscription to offers (an MQTT connection's or an SSE response's), with a bounded
 * queue. Events go straight to the transport while it takes them; when it is backed up they wait
 * here. When more than {@code limit} wait, only the latest event per task is kept (a rider needs a
 * task's current state, not its history: an offer followed by its {@code taken} becomes just the
 * {@code taken}); a rider still over the limit is stuck, and is disconnected. On the gateway's
 * event loop only.
 */
public final class OfferStream {
  /** The connection under a subscription. */
  public interface Transport {
    /** Whether the connection cannot take another event now. */
    boolean writeQueueFull();

    /** Called once when the connection can take events again. */
    void onDrain(Runnable drained);

    void write(JsonObject event);

    /** Ends the subscription ({@code tooSlow}: its rider did not keep up). */
    void close(String reason, boolean tooSlow);
  }

  private record Queued(String taskId, JsonObject event) {}

  final String riderId;
  final String transportName;
  private final Transport transport;
  private final int limit;
  private final OfferMetrics metrics;
  private final Runnable detach;
  private ArrayDeque<Queued> queue = new ArrayDeque<>();
  private boolean drainArmed;
  private boolean closed;

  OfferStream(
      String riderId,
      String transportName,
      Transport transport,
      int limit,
      OfferMetrics metrics,
      Runnable detach) {
    if (limit < 1) throw new IllegalArgumentException("queue limit must be at least 1");
    this.riderId = riderId;
    this.transportName = transportName;
    this.transport = transport;
    this.limit = limit;
    this.metrics = metrics;
    this.detach = detach;
  }

  /** Queues an event about {@code taskId} (null: never coalesced) and writes what fits. */
  void send(String taskId, JsonObject event) {
    if (closed) return;
    queue.addLast(new Queued(taskId, event));
    pump();
    if (queue.size() > limit) {
      coalesce();
      if (queue.size() > limit) {
        metrics.slowDisconnect(transportName);
        shut("too slow: more than " + limit + " offer events queued", true);
      }
    }
  }

  /** The rider unsubscribed or the connection closed: nothing more is sent. */
  public void cancel() {
    if (closed) return;
    closed = true;
    queue.clear();
    detach.run();
  }

  /** Ends the subscription from the gateway's side. */
  void shut(String reason, boolean tooSlow) {
    if (closed) return;
    cancel();
    transport.close(reason, tooSlow);
  }

  public boolean isClosed() {
    return closed;
  }

  int queued() {
    return queue.size();
  }

  private void pump() {
    while (!queue.isEmpty() && !transport.writeQueueFull()) {
      transport.write(queue.pollFirst().event());
      metrics.delivered(transportName);
      if (closed) return;
    }
    if (!queue.isEmpty() && !drainArmed) {
      drainArmed = true;
      transport.onDrain(
          () -> {
            drainArmed = false;
            if (!closed) pump();
          });
    }
  }

  private void coalesce() {
    Set<String> seen = new HashSet<>();
    ArrayDeque<Queued> kept = new ArrayDeque<>(queue.size());
    int dropped = 0;
    for (Iterator<Queued> it = queue.descendingIterator(); it.hasNext(); ) {
      Queued q = it.next();
      if (q.taskId() != null && !seen.add(q.taskId())) {
        dropped++;
      } else {
        kept.addFirst(q);
      }
    }
    queue = kept;
    if (dropped > 0) metrics.dropped(transportName, dropped);
  }
}
