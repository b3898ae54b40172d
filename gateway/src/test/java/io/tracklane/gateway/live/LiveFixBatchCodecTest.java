package io.tracklane.gateway.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tracklane.core.fix.Fix;
import io.vertx.core.buffer.Buffer;
import java.util.List;
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
}
