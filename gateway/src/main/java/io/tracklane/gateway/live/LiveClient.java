package io.tracklane.gateway.live;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One connected live client (SSE or WebSocket): its filter, its bounded queue and the back-pressure
 * of its connection. Runs on the gateway's event loop only.
 *
 * <p>Events go straight to the connection while it is writable; once its write queue is full
 * ({@link Transport#writeQueueFull()}) they wait in this client's queue until the connection
 * drains. When the queue would exceed {@code limit}, it is <em>coalesced</em>: of the fix and
 * progress events, only the latest per task stays (a dashboard needs where the rider is now, not
 * every step it missed); alerts, task status and snapshots are never dropped. A client whose queue
 * is still over the limit after that is stuck, and is disconnected.
 */
final class LiveClient {

  /** The connection under a client. */
  interface Transport {
    boolean writeQueueFull();

    /** Called once when the connection can take writes again. */
    void onDrain(Runnable drained);

    void write(LiveEvent event);

    /** Keeps idle proxies from closing the connection (SSE comment, WebSocket ping). */
    void heartbeat();

    /** Ends the connection, telling the client why where the protocol allows. */
    void close(String reason, boolean abrupt);
  }

  /** Tells the hub a client is gone, and why. */
  interface Listener {
    void closed(LiveClient client, String reason);
  }

  final LiveFilter filter;
  final String who;
  private final Transport transport;
  private final int limit;
  private final LiveMetrics metrics;
  private final Listener listener;
  private ArrayDeque<LiveEvent> queue = new ArrayDeque<>();
  private final List<Runnable> onClose = new ArrayList<>(1);
  private boolean drainArmed;
  private boolean closed;
  private long coalesced;

  LiveClient(
      String who,
      LiveFilter filter,
      Transport transport,
      int limit,
      LiveMetrics metrics,
      Listener listener) {
    if (limit < 1) throw new IllegalArgumentException("queue limit must be at least 1");
    this.who = who;
    this.filter = filter;
    this.transport = transport;
    this.limit = limit;
    this.metrics = metrics;
    this.listener = listener;
  }

  /** Queues {@code event} if it matches the filter, and writes what the connection takes. */
  void offer(LiveEvent event) {
    if (!filter.matches(event.taskId, event.riderId)) return;
    send(event);
  }

  /**
   * Queues {@code event} whatever the filter (the snapshot, already filtered, and its end marker).
   */
  void send(LiveEvent event) {
    if (closed) return;
    queue.addLast(event);
    pump();
    if (queue.size() > limit) {
      coalesce();
      if (queue.size() > limit) {
        metrics.slowDisconnect();
        shut("too slow: more than " + limit + " events queued after coalescing", true);
      }
    }
  }

  /** A heartbeat, unless events are flowing anyway or the connection is backed up. */
  void heartbeat() {
    if (!closed && queue.isEmpty() && !transport.writeQueueFull()) transport.heartbeat();
  }

  /** The connection closed (by the client or the network). */
  void connectionClosed() {
    if (closed) return;
    closed = true;
    queue.clear();
    listener.closed(this, "connection closed");
    onClose.forEach(Runnable::run);
  }

  /** Ends the connection from our side. */
  void shut(String reason, boolean abrupt) {
    if (closed) return;
    closed = true;
    queue.clear();
    listener.closed(this, reason);
    onClose.forEach(Runnable::run);
    transport.close(reason, abrupt);
  }

  /** Runs {@code action} once the client is gone (or now, if it already is). */
  void onClose(Runnable action) {
    if (closed) {
      action.run();
    } else {
      onClose.add(action);
    }
  }

  boolean isClosed() {
    return closed;
  }

  int queued() {
    return queue.size();
  }

  long coalesced() {
    return coalesced;
  }

  private void pump() {
    while (!queue.isEmpty() && !transport.writeQueueFull()) {
      transport.write(queue.pollFirst());
      metrics.sent();
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

  /**
   * Keeps, of the coalescable events, only the latest per (kind, task); order otherwise unchanged.
   */
  private void coalesce() {
    Set<String> seen = new HashSet<>();
    ArrayDeque<LiveEvent> kept = new ArrayDeque<>(queue.size());
    int dropped = 0;
    for (Iterator<LiveEvent> it = queue.descendingIterator(); it.hasNext(); ) {
      LiveEvent e = it.next();
      if (e.coalescable && !seen.add(e.coalesceKey())) {
        dropped++;
      } else {
        kept.addFirst(e);
      }
    }
    queue = kept;
    if (dropped > 0) {
      coalesced += dropped;
      metrics.coalesced(dropped);
    }
  }
}
