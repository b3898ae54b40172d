package io.tracklane.gateway.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The slow-client policy of one live client, against a connection whose back-pressure the test
 * controls.
 */
class LiveClientTest {
  private final LiveMetrics metrics = new LiveMetrics(new SimpleMeterRegistry());
  private final FakeTransport transport = new FakeTransport();
  private final List<String> detached = new ArrayList<>();

  /** A connection that is "full" while {@code full} is set, and records what was written. */
  static final class FakeTransport implements LiveClient.Transport {
    final List<LiveEvent> written = new ArrayList<>();
    boolean full;
    Runnable drain;
    String closedWith;
    boolean abrupt;
    int heartbeats;

    @Override
    public boolean writeQueueFull() {
      return full;
    }

    @Override
    public void onDrain(Runnable drained) {
      drain = drained;
    }

    @Override
    public void write(LiveEvent event) {
      written.add(event);
    }

    @Override
    public void heartbeat() {
      heartbeats++;
    }

    @Override
    public void close(String reason, boolean abrupt) {
      closedWith = reason;
      this.abrupt = abrupt;
    }

    void drain() {
      full = false;
      Runnable d = drain;
      drain = null;
      if (d != null) d.run();
    }
  }

  private LiveClient client(int limit, LiveFilter filter) {
    return new LiveClient(
        "test", filter, transport, limit, metrics, (c, reason) -> detached.add(reason));
  }

  private static LiveEvent fix(String task, long ts) {
    return LiveEvent.of(
        new JsonObject()
            .put("event", "fix")
            .put("taskId", task)
            .put("riderId", "r-" + task)
            .put("ts", ts),
        true);
  }

  private static LiveEvent alert(String task, int n) {
    return LiveEvent.of(
        new JsonObject()
            .put("event", "alert")
            .put("taskId", task)
            .put("riderId", "r-" + task)
            .put("n", n),
        false);
  }

  @Test
  void aWritableConnectionGetsEveryEventAtOnce() {
    LiveClient c = client(10, LiveFilter.ALL);
    for (int i = 0; i < 100; i++) c.offer(fix("t1", i));
    assertEquals(100, transport.written.size());
    assertEquals(0, c.queued());
    assertEquals(100, metrics.sentCount());
  }

  @Test
  void aFullConnectionQueuesUntilItDrains() {
    LiveClient c = client(10, LiveFilter.ALL);
    transport.full = true;
    for (int i = 0; i < 5; i++) c.offer(fix("t" + i, i));
    assertEquals(0, transport.written.size());
    assertEquals(5, c.queued());
    transport.drain();
    assertEquals(5, transport.written.size());
    assertEquals(0, c.queued());
  }

  @Test
  void overTheLimitFixesAreCoalescedToTheLatestPerTaskAndAlertsKept() {
    LiveClient c = client(10, LiveFilter.ALL);
    transport.full = true;
    c.offer(alert("t1", 1));
    for (int i = 0; i < 6; i++) c.offer(fix("t1", i));
    c.offer(alert("t2", 2));
    for (int i = 0; i < 3; i++) c.offer(fix("t2", 100 + i)); // 11th event: coalesce
    assertFalse(c.isClosed());
    // alert t1, fix t1#5, alert t2, fix t2#102
    assertEquals(4, c.queued());
    assertEquals(7, c.coalesced());
    assertEquals(7, metrics.coalescedCount());
    transport.drain();
    List<String> got = transport.written.stream().map(e -> e.json).toList();
    assertEquals(
        List.of(alert("t1", 1).json, fix("t1", 5).json, alert("t2", 2).json, fix("t2", 102).json),
        got);
  }

  @Test
  void aClientStillOverTheLimitAfterCoalescingIsDisconnected() {
    LiveClient c = client(10, LiveFilter.ALL);
    transport.full = true;
    for (int i = 0; i < 10; i++) c.offer(alert("t1", i));
    assertFalse(c.isClosed());
    c.offer(fix("t1", 1));
    assertTrue(c.isClosed(), "11 events, none coalescable: stuck");
    assertTrue(transport.abrupt);
    assertTrue(transport.closedWith.startsWith("too slow"), transport.closedWith);
    assertEquals(1, metrics.slowDisconnectCount());
    assertEquals(1, detached.size());
    c.offer(alert("t1", 99));
    assertEquals(0, c.queued(), "nothing is queued for a closed client");
  }

  @Test
  void theFilterPicksTasksAndRiders() {
    LiveClient c = client(10, LiveFilter.parse(List.of("t1,t2"), List.of("r-t2")));
    c.offer(fix("t1", 1));
    c.offer(fix("t2", 2));
    c.offer(fix("t3", 3));
    assertEquals(List.of(fix("t2", 2).json), transport.written.stream().map(e -> e.json).toList());
    LiveFilter any = LiveFilter.parse(null, List.of(" a , b", "c"));
    assertEquals(java.util.Set.of("a", "b", "c"), any.riderIds());
    assertTrue(any.matches("whatever", "b"));
    assertFalse(any.matches("whatever", null));
    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= LiveFilter.MAX_IDS; i++) many.append("t").append(i).append(',');
    assertThrows(
        IllegalArgumentException.class, () -> LiveFilter.parse(List.of(many.toString()), null));
  }

  @Test
  void heartbeatsOnlyWhenIdleAndWritable() {
    LiveClient c = client(10, LiveFilter.ALL);
    c.heartbeat();
    assertEquals(1, transport.heartbeats);
    transport.full = true;
    c.heartbeat();
    c.offer(fix("t1", 1));
    c.heartbeat();
    assertEquals(1, transport.heartbeats);
  }

  @Test
  void closingRunsTheCloseActionsOnce() {
    LiveClient c = client(10, LiveFilter.ALL);
    int[] runs = new int[1];
    c.onClose(() -> runs[0]++);
    c.connectionClosed();
    c.shut("again", false);
    assertEquals(1, runs[0]);
    assertEquals(List.of("connection closed"), detached);
    c.onClose(() -> runs[0]++);
    assertEquals(2, runs[0], "added after the close: runs at once");
  }
}
