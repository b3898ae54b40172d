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
 * LISTENs on the back office's Postgres channel {@value StatusChannels#USER_STATUS}: a {@code
 * pg_notify} inside the transaction that (de)activates a user, payload {@code
 * {"userId","active","at"}}. Each one goes to {@code changed(userId, active)}. After a lost
 * connection is back, {@code resync} runs: the caller drops its cached answers and checks its open
 * sessions again (notifications sent meanwhile are lost).
 */
public final class UserStatusListener {
  private static final Logger log = LoggerFactory.getLogger(UserStatusListener.class);

  private final PgChannelListener listener;

  private UserStatusListener(PgChannelListener listener) {
    this.listener = listener;
  }

  public static UserStatusListener start(
      Vertx vertx, PgConnectOptions connect, BiConsumer<String, Boolean> changed, Runnable resync) {
    return new UserStatusListener(
        PgChannelListener.start(
            vertx, connect, StatusChannels.USER_STATUS, n -> notified(n, changed), resync));
  }

  public Future<Void> close() {
    return listener.close();
  }

  /** Whether the channel is being listened to. */
  public boolean listening() {
    return listener.listening();
  }

  private static void notified(JsonObject n, BiConsumer<String, Boolean> changed) {
    if (!(n.getValue("userId") instanceof String userId)
        || !(n.getValue("active") instanceof Boolean active)) {
      log.warn("user status listener: ignoring a notification without userId and active");
      return;
    }
    changed.accept(userId, active);
  }
}
