package io.tracklane.gateway.offers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The open tasks riders are offered, and the events that keep subscribers in step with them. A
 * state machine without I/O: its owner feeds it the back office's notifications, the rows it reads
 * for them, and snapshots of all open tasks, and publishes what it emits. On one thread only.
 *
 * <p>Notifications come in commit order, but reading a task's row takes a round trip during which
 * later notifications may arrive. Each read therefore carries a ticket: only the answer to the
 * task's latest read counts, and a notification that takes the task out of the pool voids the read
 * in flight. Likewise a snapshot (at start and after the LISTEN connection came back) does not
 * overwrite tasks that notifications changed while it was being read.
 */
final class OfferPool {
  /** Statuses that mean a rider has the task. */
  private static final Set<String> CLAIMED =
      Set.of("claimed", "in_progress", "completed", "needs_review");

  private final Consumer<OfferEvent> emit;
  private final Map<String, Offer> open = new LinkedHashMap<>();
  private final Map<String, Long> reading = new HashMap<>();
  private Set<String> changedDuringSnapshot;
  private long tickets;
  private long snapshotTicket;

  OfferPool(Consumer<OfferEvent> emit) {
    this.emit = emit;
  }

  /**
   * A notification about {@code taskId}. Answers the ticket of the read the caller must make (the
   * task is open: read its row, then call {@link #read}), or -1 when there is nothing to read.
   */
  long notified(String taskId, String status, String claimedBy) {
    if (changedDuringSnapshot != null) changedDuringSnapshot.add(taskId);
    if ("open".equals(status)) {
      long ticket = ++tickets;
      reading.put(taskId, ticket);
      return ticket;
    }
    reading.remove(taskId);
    Offer gone = open.remove(taskId);
    if (gone != null) {
      emit.accept(
          CLAIMED.contains(status)
              ? OfferEvent.taken(taskId, claimedBy)
              : OfferEvent.withdrawn(taskId, status == null ? "unavailable" : status));
    }
    return -1;
  }

  /**
   * The answer to the read with {@code ticket}: the task's offer, or null when it is not open (or
   * its window passed) any more.
   */
  void read(String taskId, long ticket, Offer offer) {
    if (!Objects.equals(reading.get(taskId), ticket)) return; // a later notification decides
    reading.remove(taskId);
    if (offer == null) {
      if (open.remove(taskId) != null) emit.accept(OfferEvent.withdrawn(taskId, "unavailable"));
    } else {
      put(offer);
    }
  }

  /** The read with {@code ticket} failed: the next notification or snapshot tells again. */
  void readFailed(String taskId, long ticket) {
    reading.remove(taskId, ticket);
  }

  /**
   * A snapshot of every open task is being read; answers its ticket (only the latest snapshot
   * counts when reads overlap).
   */
  long snapshotStarted() {
    changedDuringSnapshot = new HashSet<>();
    return snapshotTicket = ++tickets;
  }

  /**
   * The snapshot: tasks missing from it left the pool (withdrawn: why is unknown), new or changed
   * ones are offered; tasks notified about meanwhile keep what the notifications said.
   */
  void snapshot(long ticket, List<Offer> offers) {
    if (ticket != snapshotTicket) return; // a later snapshot is being read
    snapshotTicket = 0;
    Set<String> skip = changedDuringSnapshot == null ? Set.of() : changedDuringSnapshot;
    changedDuringSnapshot = null;
    Set<String> present = new HashSet<>();
    for (Offer o : offers) present.add(o.taskId());
    for (Iterator<String> it = open.keySet().iterator(); it.hasNext(); ) {
      String id = it.next();
      if (!present.contains(id) && !skip.contains(id)) {
        it.remove();
        emit.accept(OfferEvent.withdrawn(id, "unavailable"));
      }
    }
    for (Offer o : offers) {
      if (!skip.contains(o.taskId())) put(o);
    }
  }

  /** The snapshot could not be read: notifications alone go on. */
  void snapshotFailed(long ticket) {
    if (ticket != snapshotTicket) return;
    snapshotTicket = 0;
    changedDuringSnapshot = null;
  }

  /** Withdraws offers whose window has ended by {@code now} (riders no longer see them). */
  void expire(Instant now) {
    List<String> passed = new ArrayList<>();
    for (Offer o : open.values()) {
      if (!o.windowEnd().isAfter(now)) passed.add(o.taskId());
    }
    for (String id : passed) {
      open.remove(id);
      emit.accept(OfferEvent.withdrawn(id, "window_passed"));
    }
  }

  /** The open tasks, oldest offered first. */
  List<Offer> offers() {
    return new ArrayList<>(open.values());
  }

  int size() {
    return open.size();
  }

  private void put(Offer offer) {
    Offer had = open.put(offer.taskId(), offer);
    if (!offer.equals(had)) emit.accept(OfferEvent.offer(offer));
  }
}
