package io.tracklane.gateway.offers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A rider's bounded offer queue: straight through, waits while backed up, coalesces, cuts off. */
class OfferStreamTest {
  final List<String> written = new ArrayList<>();
  boolean full;
  Runnable drain;
  String closedWith;
  boolean detached;
  final OfferMetrics metrics = new OfferMetrics(new SimpleMeterRegistry());

  OfferStream stream(int limit) {
    return new OfferStream(
        "rider-1",
        "test",
        new OfferStream.Transport() {
          @Override
          public boolean writeQueueFull() {
            return full;
          }

          @Override
          public void onDrain(Runnable drained) {
            drain = drained;
          }

          @Override
          public void write(JsonObject event) {
            written.add(event.getString("event") + ":" + event.getString("taskId"));
          }

          @Override
          public void close(String reason, boolean tooSlow) {
            closedWith = reason + (tooSlow ? " (slow)" : "");
          }
        },
        limit,
        metrics,
        () -> detached = true);
  }

  static JsonObject e(String kind, String taskId) {
    return new JsonObject().put("event", kind).put("taskId", taskId);
  }

  @Test
  void eventsWaitWhileTheConnectionIsBackedUpAndFlowInOrderAfter() {
    OfferStream s = stream(10);
    s.send("a", e("offer", "a"));
    full = true;
    s.send("b", e("offer", "b"));
    s.send("a", e("taken", "a"));
    assertEquals(List.of("offer:a"), written);
    assertEquals(2, s.queued());
    full = false;
    drain.run();
    assertEquals(List.of("offer:a", "offer:b", "taken:a"), written);
    assertEquals(3.0, metrics.deliveredCount("test"));
  }

  @Test
  void overTheLimitOnlyTheLatestEventPerTaskStays() {
    OfferStream s = stream(3);
    full = true;
    s.send(null, e("snapshot_complete", null));
    s.send("a", e("offer", "a"));
    s.send("b", e("offer", "b"));
    s.send("a", e("taken", "a"));
    assertFalse(s.isClosed());
    assertEquals(3, s.queued());
    full = false;
    drain.run();
    assertEquals(List.of("snapshot_complete:null", "offer:b", "taken:a"), written);
    assertEquals(1.0, metrics.droppedCount("test"));
  }

  @Test
  void aRiderStillOverTheLimitIsDisconnected() {
    OfferStream s = stream(2);
    full = true;
    s.send("a", e("offer", "a"));
    s.send("b", e("offer", "b"));
    s.send("c", e("offer", "c"));
    assertTrue(s.isClosed());
    assertTrue(detached);
    assertEquals("too slow: more than 2 offer events queued (slow)", closedWith);
  }
}
