package io.tracklane.gateway.live;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fixes one instance stored in one turn of its event loop, published cluster-wide as one event
 * bus message on {@link LiveEvents#FIXES_ADDRESS} (one message per write batch instead of one per
 * fix: the per-message cost of the clustered event bus was a large part of the CPU per fix).
 */
public record LiveFixBatch(List<LiveFix> fixes) {
  private static final Logger log = LoggerFactory.getLogger(LiveFixBatch.class);

  public LiveFixBatch {
    fixes = List.copyOf(fixes);
  }

  /**
   * Subscribes to every instance's stored fixes (cluster-wide when clustered): {@code each} gets
   * them one by one, in the order they were stored; one fix that {@code each} fails on costs the
   * rest of the batch (other riders' fixes) nothing. Completes with the consumer's registration.
   */
  public static MessageConsumer<LiveFixBatch> subscribe(Vertx vertx, Consumer<LiveFix> each) {
    LiveFixBatchCodec.registerOn(vertx);
    return vertx
        .eventBus()
        .consumer(
            LiveEvents.FIXES_ADDRESS,
            msg -> {
              for (LiveFix f : msg.body().fixes()) {
                try {
                  each.accept(f);
                } catch (RuntimeException e) {
                  log.warn("live: fix of task {} not applied: {}", f.taskId(), e.toString());
                }
              }
            });
  }
}
