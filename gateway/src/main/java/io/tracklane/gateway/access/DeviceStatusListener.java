package io.tracklane.gateway.access;

import io.tracklane.core.StatusChannels;
import io.tracklane.gateway.notify.PgChannelListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on {@value StatusChannels#DEVICE_STATUS}: the {@code rider_devices} trigger's {@code
 * {"deviceId","userId","revoked"}} on a revocation, deletion or key change. Each one goes to {@code
 * changed(deviceId, revoked)}; after a lost connection is back, {@code resync} runs (notifications
 * sent meanwhile are lost).
 */
public final class DeviceStatusListener {
  private static final Logger log = LoggerFactory.getLogger(DeviceStatusListener.class);

  private final PgChannelListener listener;

  private DeviceStatusListener(PgChannelListener listener) {
    this.listener = listener;
  }

  public static DeviceStatusListener start(
      Vertx vertx, PgConnectOptions connect, BiConsumer<String, Boolean> changed, Runnable resync) {
    return new DeviceStatusListener(
        PgChannelListener.start(
            vertx, connect, StatusChannels.DEVICE_STATUS, n -> notified(n, changed), resync));
  }

  public Future<Void> close() {
    return listener.close();
  }

  public boolean listening() {
    return listener.listening();
  }

  private static void notified(JsonObject n, BiConsumer<String, Boolean> changed) {
    if (!(n.getValue("deviceId") instanceof String deviceId)) {
      log.warn("device status listener: ignoring a notification without deviceId");
      return;
    }
    changed.accept(deviceId, !Boolean.FALSE.equals(n.getValue("revoked")));
  }
}
