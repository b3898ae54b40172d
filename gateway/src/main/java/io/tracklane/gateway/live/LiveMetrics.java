package io.tracklane.gateway.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/** Meters of the live stream (Prometheus: tracklane_live_*). */
public final class LiveMetrics {
  private final MeterRegistry registry;
  private final Counter sent;
  private final Counter coalesced;
  private final Counter slowDisconnects;

  public LiveMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.sent =
        Counter.builder("tracklane.live.events.sent")
            .description("Events written to live clients")
            .register(registry);
    this.coalesced =
        Counter.builder("tracklane.live.events.coalesced")
            .description(
                "Queued fix/progress events a slow live client was spared (a later one of the task replaced them)")
            .register(registry);
    this.slowDisconnects =
        Counter.builder("tracklane.live.slow.disconnects")
            .description(
                "Live clients disconnected because they did not keep up even after coalescing")
            .register(registry);
  }

  void clients(Supplier<Number> count) {
    Gauge.builder("tracklane.live.clients", count)
        .description("Connected live clients (SSE and WebSocket)")
        .register(registry);
  }

  void trackers(Supplier<Number> count) {
    Gauge.builder("tracklane.live.tasks", count)
        .description("Tasks in the live state (with a progress tracker when their route is known)")
        .register(registry);
  }

  void sent() {
    sent.increment();
  }

  void coalesced(int n) {
    coalesced.increment(n);
  }

  void slowDisconnect() {
    slowDisconnects.increment();
  }

  public double sentCount() {
    return sent.count();
  }

  public double coalescedCount() {
    return coalesced.count();
  }

  public double slowDisconnectCount() {
    return slowDisconnects.count();
  }
}
