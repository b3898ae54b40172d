package io.tracklane.gateway.live;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.function.Consumer;

/**
 * The fixes one instance stored in one turn of its event loop, published cluster-wide as one event
 * bus message on {@link LiveEvents#FIXES_ADDRESS} (one message per write batch instead of one per
 * fix: the per-message cost of the clustered event bus was a large part of the CPU per fix).
 */
public record LiveFixBatch(List<LiveFix> fixes) {
  public LiveFixBatch {
    fixes = List.copyOf(fixes);
  }

  /**
   * Subscribes to every instance's stored fixes (cluster-wide when clustered): {@code each} gets
   * them one by one, in the order they were stored. Completes with the consumer's registration.
   */
  public static MessageConsumer<LiveFixBatch> subscribe(Vertx vertx, Consumer<LiveFix> each) {
    LiveFixBatchCodec.registerOn(vertx);
    return vertx
        .eventBus()
        .consumer(
            LiveEvents.FIXES_ADDRESS,
            msg -> {
              for (LiveFix f : msg.body().fixes()) each.accept(f);
            });
  }
}
