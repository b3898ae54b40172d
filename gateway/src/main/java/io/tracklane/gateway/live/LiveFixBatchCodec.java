package io.tracklane.gateway.live;

import io.tracklane.core.fix.Fix;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A compact binary form of {@link LiveFixBatch} for the clustered event bus: fixed-width numbers
 * and length-prefixed ids instead of JSON text, whose number formatting and parsing dominated the
 * live stream's cost per fix. Locally the (immutable) batch is handed over as it is.
 *
 * <p>Layout: count (int), then per fix: taskId, riderId (int length + UTF-8), ts (long), lat, lon
 * (double), a presence mask (byte: acc, spd, hdg, alt, bat), the present optional doubles in that
 * order, receivedAt (long).
 */
public final class LiveFixBatchCodec implements MessageCodec<LiveFixBatch, LiveFixBatch> {
  public static final String NAME = "tracklane-live-fix-batch";

  /** Registers the codec as the default for {@link LiveFixBatch} once per Vert.x instance. */
  public static void registerOn(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(LiveFixBatch.class, new LiveFixBatchCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // a second gateway or hub on the same Vert.x instance: the first registration serves both
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, LiveFixBatch batch) {
    buffer.appendInt(batch.fixes().size());
    for (LiveFix f : batch.fixes()) {
      appendString(buffer, f.taskId());
      appendString(buffer, f.riderId());
      Fix x = f.fix();
      buffer.appendLong(x.ts()).appendDouble(x.lat()).appendDouble(x.lon());
      Double[] optional = {x.acc(), x.spd(), x.hdg(), x.alt(), x.bat()};
      byte mask = 0;
      for (int i = 0; i < optional.length; i++) if (optional[i] != null) mask |= (byte) (1 << i);
      buffer.appendByte(mask);
      for (Double d : optional) if (d != null) buffer.appendDouble(d);
      buffer.appendLong(f.receivedAt());
    }
  }

  @Override
  public LiveFixBatch decodeFromWire(int pos, Buffer buffer) {
    int[] at = {pos};
    int n = buffer.getInt(at[0]);
    at[0] += 4;
    List<LiveFix> fixes = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      String taskId = readString(buffer, at);
      String riderId = readString(buffer, at);
      long ts = buffer.getLong(at[0]);
      double lat = buffer.getDouble(at[0] + 8);
      double lon = buffer.getDouble(at[0] + 16);
      byte mask = buffer.getByte(at[0] + 24);
      at[0] += 25;
      Double[] optional = new Double[5];
      for (int i = 0; i < optional.length; i++) {
        if ((mask & (1 << i)) != 0) {
          optional[i] = buffer.getDouble(at[0]);
          at[0] += 8;
        }
      }
      long receivedAt = buffer.getLong(at[0]);
      at[0] += 8;
      fixes.add(
          new LiveFix(
              taskId,
              riderId,
              new Fix(
                  ts, lat, lon, optional[0], optional[1], optional[2], optional[3], optional[4]),
              receivedAt));
    }
    return new LiveFixBatch(fixes);
  }

  @Override
  public LiveFixBatch transform(LiveFixBatch batch) {
    return batch;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }

  private static void appendString(Buffer buffer, String s) {
    if (s == null) {
      buffer.appendInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  private static String readString(Buffer buffer, int[] at) {
    int len = buffer.getInt(at[0]);
    at[0] += 4;
    if (len < 0) return null;
    String s = buffer.getString(at[0], at[0] + len, "UTF-8");
    at[0] += len;
    return s;
  }
}
