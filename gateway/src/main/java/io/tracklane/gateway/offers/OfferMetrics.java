package io.tracklane.gateway.offers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Meters of the task offers (Prometheus: tracklane_offers_*). */
public final class OfferMetrics {
  private final MeterRegistry registry;
  private final Map<String, Counter> delivered = new ConcurrentHashMap<>();

  public OfferMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void delivered(String transport) {
    delivered
        .computeIfAbsent(
            transport,
            t ->
                Counter.builder("tracklane.offers.events.delivered")
                    .description(
                        "Offer events (offer, taken, withdrawn, snapshot) written to riders")
                    .tag("transport", t)
                    .register(registry))
        .increment();
  }

  void dropped(String transport, int n) {
    Counter.builder("tracklane.offers.events.dropped")
        .description(
            "Queued offer events a slow rider was spared (a later event of the same task replaced them)")
        .tag("transport", transport)
        .register(registry)
        .increment(n);
  }

  void slowDisconnect(String transport) {
    Counter.builder("tracklane.offers.slow.disconnects")
        .description("Riders disconnected because they did not keep up with offers")
        .tag("transport", transport)
        .register(registry)
        .increment();
  }

  void subscribers(Supplier<Number> count) {
    Gauge.builder("tracklane.offers.subscribers", count)
        .description("Riders subscribed to offers (MQTT and SSE)")
        .register(registry);
  }

  void open(Supplier<Number> count) {
    Gauge.builder("tracklane.offers.open", count)
        .description("Open tasks in this instance's offers pool")
        .register(registry);
  }

  public double deliveredCount(String transport) {
    Counter c =
        registry.find("tracklane.offers.events.delivered").tag("transport", transport).counter();
    return c == null ? 0 : c.count();
  }

  public double droppedCount(String transport) {
    Counter c =
        registry.find("tracklane.offers.events.dropped").tag("transport", transport).counter();
    return c == null ? 0 : c.count();
  }
}
