package io.tracklane.gateway.offers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The offers pool's state machine: notifications, reads racing them, snapshots, windows. */
class OfferPoolTest {
  private static final Instant NOW = Instant.parse("2026-12-04T08:00:00Z");
  private final List<OfferEvent> events = new ArrayList<>();
  private final OfferPool pool = new OfferPool(events::add);

  static Offer offer(String id) {
    return offer(id, "10.00", NOW.plusSeconds(3600));
  }

  static Offer offer(String id, String bonus, Instant windowEnd) {
    return new Offer(
        id, "title " + id, bonus, "CNY", NOW, windowEnd, "route-1", "Bund", 952.0, 31.23, 121.47);
  }

  private List<String> seen() {
    List<String> out = new ArrayList<>();
    for (OfferEvent e : events) out.add(e.kind() + ":" + e.taskId());
    return out;
  }

  @Test
  void aNewTaskIsOfferedOnceItsRowIsRead() {
    long ticket = pool.notified("t1", "open", null);
    assertTrue(ticket > 0);
    assertEquals(List.of(), seen(), "nothing before the row is read");
    pool.read("t1", ticket, offer("t1"));
    assertEquals(List.of("OFFER:t1"), seen());
    assertEquals(1, pool.size());
  }

  @Test
  void aClaimTakesTheTaskAndNamesTheClaimer() {
    pool.read("t1", pool.notified("t1", "open", null), offer("t1"));
    assertEquals(-1, pool.notified("t1", "claimed", "rider-2"));
    assertEquals(List.of("OFFER:t1", "TAKEN:t1"), seen());
    assertEquals("rider-2", events.get(1).claimedBy());
    assertEquals(true, events.get(1).toJson("rider-2", null).getBoolean("byYou"));
    assertEquals(false, events.get(1).toJson("rider-3", null).getBoolean("byYou"));
    assertEquals(0, pool.size());
  }

  @Test
  void cancelAndExpiryWithdrawWithTheirReason() {
    pool.read("t1", pool.notified("t1", "open", null), offer("t1"));
    pool.read("t2", pool.notified("t2", "open", null), offer("t2"));
    pool.notified("t1", "cancelled", null);
    pool.notified("t2", "expired", null);
    assertEquals(List.of("OFFER:t1", "OFFER:t2", "WITHDRAWN:t1", "WITHDRAWN:t2"), seen());
    assertEquals("cancelled", events.get(2).reason());
    assertEquals("expired", events.get(3).reason());
  }

  @Test
  void aReleasedTaskIsOfferedAgain() {
    pool.read("t1", pool.notified("t1", "open", null), offer("t1"));
    pool.notified("t1", "claimed", "rider-1");
    pool.read("t1", pool.notified("t1", "open", null), offer("t1"));
    assertEquals(List.of("OFFER:t1", "TAKEN:t1", "OFFER:t1"), seen());
  }

  @Test
  void aReadOvertakenByAClaimIsIgnored() {
    // created, then claimed before the gateway's read of the row came back (the read saw it open)
    long ticket = pool.notified("t1", "open", null);
    pool.notified("t1", "claimed", "rider-1");
    pool.read("t1", ticket, offer("t1"));
    assertEquals(List.of(), seen(), "a stale read must not offer a claimed task");
    assertEquals(0, pool.size());
  }

  @Test
  void onlyTheLatestReadCounts() {
    long first = pool.notified("t1", "open", null);
    long second = pool.notified("t1", "open", null);
    pool.read("t1", second, offer("t1", "20.00", NOW.plusSeconds(3600)));
    pool.read("t1", first, offer("t1", "10.00", NOW.plusSeconds(3600)));
    assertEquals(List.of("OFFER:t1"), seen());
    assertEquals("20.00", pool.offers().get(0).bonusAmount());
  }

  @Test
  void anEditIsOfferedAgainButAnUnchangedReadIsNot() {
    pool.read("t1", pool.notified("t1", "open", null), offer("t1"));
    pool.read("t1", pool.notified("t1", "open", null), offer("t1"));
    pool.read("t1", pool.notified("t1", "open", null), offer("t1", "15.00", NOW.plusSeconds(60)));
    assertEquals(List.of("OFFER:t1", "OFFER:t1"), seen());
  }

  @Test
  void aReadFindingNoOpenTaskWithdrawsIt() {
    pool.read("t1", pool.notified("t1", "open", null), offer("t1"));
    pool.read("t1", pool.notified("t1", "open", null), null);
    assertEquals(List.of("OFFER:t1", "WITHDRAWN:t1"), seen());
  }

  @Test
  void aSnapshotAddsRemovesAndKeepsWhatNotificationsSaidMeanwhile() {
    pool.read("a", pool.notified("a", "open", null), offer("a"));
    pool.read("b", pool.notified("b", "open", null), offer("b"));
    events.clear();
    long ticket = pool.snapshotStarted();
    // while the snapshot is read: c is claimed (the snapshot, read before, still lists c)
    pool.read("c", pool.notified("c", "open", null), offer("c"));
    pool.notified("c", "claimed", "rider-9");
    pool.snapshot(ticket, List.of(offer("b"), offer("c"), offer("d")));
    assertEquals(
        List.of("OFFER:c", "TAKEN:c", "WITHDRAWN:a", "OFFER:d"),
        seen(),
        "a vanished, b unchanged (no event), c stays taken, d is new");
    assertEquals(List.of("b", "d"), pool.offers().stream().map(Offer::taskId).toList());
  }

  @Test
  void ofOverlappingSnapshotsOnlyTheLatestCounts() {
    long first = pool.snapshotStarted();
    long second = pool.snapshotStarted();
    pool.snapshot(second, List.of(offer("b")));
    // the first read, older, still saw "a" (claimed since) and lacks "b": it must change nothing
    pool.snapshot(first, List.of(offer("a")));
    assertEquals(List.of("OFFER:b"), seen());
  }

  @Test
  void aPassedWindowWithdrawsTheOffer() {
    pool.read(
        "soon", pool.notified("soon", "open", null), offer("soon", "1.00", NOW.plusSeconds(5)));
    pool.read("later", pool.notified("later", "open", null), offer("later"));
    pool.expire(NOW);
    assertEquals(2, pool.size());
    pool.expire(NOW.plusSeconds(5));
    assertEquals(List.of("OFFER:soon", "OFFER:later", "WITHDRAWN:soon"), seen());
    assertEquals("window_passed", events.get(2).reason());
  }

  @Test
  void anOfferCarriesTheDistanceToTheRouteStartWhenThePositionIsKnown() {
    Offer o = offer("t1");
    // 0.009° of latitude north of the start: about 1,000 m
    var json = OfferEvent.offer(o).toJson("r", new RiderPositions.Position(31.239, 121.47, 0));
    assertEquals(1000.7, json.getDouble("distanceM"), 1.0);
    assertEquals("10.00", json.getString("bonusAmount"));
    assertEquals("Bund", json.getJsonObject("route").getString("name"));
    assertEquals(31.23, json.getJsonObject("route").getJsonObject("start").getDouble("lat"));
    assertTrue(!OfferEvent.offer(o).toJson("r", null).containsKey("distanceM"));
  }

  @Test
  void positionsCountOnlyWhileRecent() {
    RiderPositions p = new RiderPositions(120_000);
    p.update("r", 31.0, 121.0, 1_000_000);
    p.update("r", 32.0, 122.0, 900_000); // older: ignored
    assertEquals(31.0, p.recent("r", 1_100_000).lat());
    assertEquals(null, p.recent("r", 1_120_001));
    p.prune(1_120_001);
    assertEquals(0, p.size());
  }
}
