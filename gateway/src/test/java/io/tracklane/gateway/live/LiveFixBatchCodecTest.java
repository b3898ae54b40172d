package io.tracklane.gateway.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tracklane.core.fix.Fix;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The clustered event bus form of stored fixes: every field survives, absent ones stay absent. */
class LiveFixBatchCodecTest {
  private final LiveFixBatchCodec codec = new LiveFixBatchCodec();

  @Test
  void aBatchCrossesTheWireFieldForFieldAfterWhateverCameBeforeIt() {
    LiveFixBatch batch =
        new LiveFixBatch(
            List.of(
                new LiveFix(
                    "task-1",
                    "rider-é",
                    new Fix(1_700_000_000_123L, 3.139003, 101.686855, 4.5, 7.25, 359.9, 31.0, 0.8),
                    1_700_000_001_000L),
                new LiveFix(
                    "task-2", null, new Fix(5L, -33.9, 151.2, null, 0.0, null, -12.5, null), 6L),
                new LiveFix("task-3", "r", Fix.of(7L, 0, 0), 0L)));
    Buffer wire = Buffer.buffer("cluster header");
    int pos = wire.length();
    codec.encodeToWire(wire, batch);
    wire.appendString("next message");

    LiveFixBatch back = codec.decodeFromWire(pos, wire);

    assertEquals(batch, back);
    assertEquals(null, back.fixes().get(1).fix().acc());
    assertEquals(0.0, back.fixes().get(1).fix().spd());
  }

  @Test
  void anEmptyBatchAndALocalHandOverCostNothing() {
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, new LiveFixBatch(List.of()));
    assertEquals(4, wire.length());
    assertEquals(List.of(), codec.decodeFromWire(0, wire).fixes());
    LiveFixBatch b = new LiveFixBatch(List.of(new LiveFix("t", "r", Fix.of(1, 2, 3), 4)));
    assertSame(b, codec.transform(b));
  }

  @Test
  void aFixOneSubscriberFailsOnDoesNotCostTheRestOfTheBatch() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      List<String> applied = new ArrayList<>();
      CompletableFuture<List<String>> done = new CompletableFuture<>();
      LiveFixBatch.subscribe(
              vertx,
              f -> {
                if (f.taskId().equals("bad")) throw new IllegalStateException("boom");
                applied.add(f.taskId());
                if (f.taskId().equals("last")) done.complete(applied);
              })
          .completion()
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      vertx
          .eventBus()
          .publish(
              LiveEvents.FIXES_ADDRESS,
              new LiveFixBatch(
                  List.of(
                      new LiveFix("first", "r1", Fix.of(1, 0, 0), 1),
                      new LiveFix("bad", "r2", Fix.of(2, 0, 0), 2),
                      new LiveFix("last", "r3", Fix.of(3, 0, 0), 3))));
      assertEquals(List.of("first", "last"), done.get(10, TimeUnit.SECONDS));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
