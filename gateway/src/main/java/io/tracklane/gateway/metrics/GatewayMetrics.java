package io.tracklane.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** The gateway's own meters, named once here (Prometheus: tracklane_*). */
public final class GatewayMetrics {
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final DistributionSummary batchSize;
  private final Timer writeLatency;
  private final Timer ackLatency;
  private final AtomicInteger mqttConnections = new AtomicInteger();

  /** Counted on every fix: looked up once, not per call (a key string and a map lookup each). */
  private final Counter written;

  private final Counter receivedMqtt;
  private final Counter receivedHttp;

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.batchSize =
        DistributionSummary.builder("tracklane.batch.size")
            .description("Items per BatchWriteItem request")
            .publishPercentileHistogram()
            .minimumExpectedValue(1.0)
            .maximumExpectedValue(25.0)
            .register(registry);
    this.writeLatency =
        Timer.builder("tracklane.batch.write.latency")
            .description("Latency of one BatchWriteItem attempt")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
    this.ackLatency =
        Timer.builder("tracklane.ingest.ack.latency")
            .description("From payload received to durable write (the acknowledgement)")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry);
    Gauge.builder("tracklane.mqtt.connections", mqttConnections, AtomicInteger::get)
        .description("Open MQTT connections")
        .register(registry);
    this.written = counter("tracklane.fixes.written", null, null);
    this.receivedMqtt = counter("tracklane.fixes.received", "transport", "mqtt");
    this.receivedHttp = counter("tracklane.fixes.received", "transport", "http");
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void queueDepth(Supplier<Number> depth) {
    Gauge.builder("tracklane.writer.queue.depth", depth)
        .description("Fixes accepted but not yet written")
        .register(registry);
  }

  public void received(String transport, int fixes) {
    Counter c =
        switch (transport) {
          case "mqtt" -> receivedMqtt;
          case "http" -> receivedHttp;
          default -> counter("tracklane.fixes.received", "transport", transport);
        };
    c.increment(fixes);
  }

  public void written(int fixes) {
    written.increment(fixes);
  }

  public void rejected(String reason, int payloads) {
    counter("tracklane.payloads.rejected", "reason", reason).increment(payloads);
  }

  /**
   * Fixes of a phone app (device key) acknowledged but not stored: the rider had no task in
   * progress (Prometheus {@code tracklane_fixes_outside_task_total{protocol}}).
   */
  public void fixesOutsideTask(String protocol, int fixes) {
    counter("tracklane.fixes.outside.task", "protocol", protocol).increment(fixes);
  }

  /** A phone app's request or MQTT CONNECT refused for its device key (unknown, revoked). */
  public void deviceKeyRefused(String protocol) {
    counter("tracklane.device.key.refused", "protocol", protocol).increment();
  }

  public void retry(String cause, int items) {
    counter("tracklane.writer.retries", "cause", cause).increment();
    counter("tracklane.writer.retried.items", "cause", cause).increment(items);
  }

  public void writeFailed(int items) {
    counter("tracklane.writer.failed.items", null, null).increment(items);
  }

  public void batch(int items, long nanos) {
    batchSize.record(items);
    writeLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void acknowledged(long nanos) {
    ackLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void connectionOpened() {
    mqttConnections.incrementAndGet();
  }

  public void connectionClosed() {
    mqttConnections.decrementAndGet();
  }

  public void mqttRefused(String reason) {
    counter("tracklane.mqtt.connects.refused", "reason", reason).increment();
  }

  /** One read of the JWKS: why (start, scheduled, unknown_kid) and whether it succeeded. */
  public void jwksRead(String why, boolean ok) {
    counter(ok ? "tracklane.jwks.reads" : "tracklane.jwks.read.failures", "why", why).increment();
  }

  /**
   * An MQTT connection the gateway ended because its authorisation ended (token_expired,
   * user_deactivated).
   */
  public void mqttSessionEnded(String reason) {
    counter("tracklane.mqtt.sessions.ended", "reason", reason).increment();
  }

  public double count(String name, String tagKey, String tagValue) {
    return counter(name, tagKey, tagValue).count();
  }

  private Counter counter(String name, String tagKey, String tagValue) {
    String key = name + '|' + tagKey + '|' + tagValue;
    return counters.computeIfAbsent(
        key,
        k -> {
          Counter.Builder b = Counter.builder(name);
          if (tagKey != null) b.tag(tagKey, tagValue);
          return b.register(registry);
        });
  }
}
