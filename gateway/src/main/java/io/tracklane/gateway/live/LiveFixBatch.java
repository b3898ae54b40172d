package io.tracklane.gateway.live;

import java.util.List;

/**
 * The fixes one instance stored in one turn of its event loop, published cluster-wide as one event
 * bus message on {@link LiveEvents#FIXES_ADDRESS} (one message per write batch instead of one per
 * fix: the per-message cost of the clustered event bus was a large part of the CPU per fix).
 */
public record LiveFixBatch(List<LiveFix> fixes) {
  public LiveFixBatch {
    fixes = List.copyOf(fixes);
  }
}
