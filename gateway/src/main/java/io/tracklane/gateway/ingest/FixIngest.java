package io.tracklane.gateway.ingest;

import io.tracklane.core.auth.Principal;
import io.tracklane.core.fix.Fix;
import io.tracklane.core.fix.FixError;
import io.tracklane.core.fix.FixPayloadParser;
import io.tracklane.core.fix.ParsedFixes;
import io.tracklane.gateway.access.TaskAccess;
import io.tracklane.gateway.metrics.GatewayMetrics;
import io.tracklane.gateway.store.FixBatchWriter;
import io.tracklane.gateway.store.StoreRefusedFix;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport-independent path of a payload: role and task checks, parsing and validation,
 * admission against the queue limit, and the durable write. The returned future succeeds only once
 * every fix of the payload is written; otherwise it fails with a {@link Rejection}.
 */
public final class FixIngest {
  private static final Logger log = LoggerFactory.getLogger(FixIngest.class);
  private final FixPayloadParser parser;
  private final TaskAccess access;
  private final FixBatchWriter writer;
  private final GatewayMetrics metrics;
  private final Clock clock;
  private final StoredListener stored;
  private volatile boolean shuttingDown;
  private final boolean discard;

  /** Told about every payload once all its fixes are durably written (on the ingest's context). */
  @FunctionalInterface
  public interface StoredListener {
    StoredListener NONE = (taskId, riderId, fixes, receivedAt) -> {};

    void stored(String taskId, String riderId, List<Fix> fixes, long receivedAt);
  }

  public FixIngest(
      FixPayloadParser parser,
      TaskAccess access,
      FixBatchWriter writer,
      GatewayMetrics metrics,
      Clock clock) {
    this(parser, access, writer, metrics, clock, StoredListener.NONE);
  }

  public FixIngest(
      FixPayloadParser parser,
      TaskAccess access,
      FixBatchWriter writer,
      GatewayMetrics metrics,
      Clock clock,
      StoredListener stored) {
    this(parser, access, writer, metrics, clock, stored, false);
  }

  /**
   * @param discard benchmarks only: acknowledge valid payloads without storing them (or passing
   *     them to the live stream), so a load test measures the protocol layer alone
   */
  public FixIngest(
      FixPayloadParser parser,
      TaskAccess access,
      FixBatchWriter writer,
      GatewayMetrics metrics,
      Clock clock,
      StoredListener stored,
      boolean discard) {
    this.discard = discard;
    this.parser = parser;
    this.access = access;
    this.writer = writer;
    this.metrics = metrics;
    this.clock = clock;
    this.stored = stored;
  }

  /** From now on payloads are refused with {@link Rejection.Reason#SHUTTING_DOWN}. */
  public void stopAccepting() {
    shuttingDown = true;
  }

  public boolean isAccepting() {
    return !shuttingDown;
  }

  /**
   * Whether {@code who} may send fixes for {@code taskId} at all: role, shutdown and task access,
   * the checks that need no payload. HTTP asks this before it reads a body; {@link #ingest} checks
   * the same again (task access answers are cached), so a transport may skip it.
   */
  public Future<Void> admit(Principal who, String taskId) {
    if (shuttingDown)
      return reject(
          new Rejection(Rejection.Reason.SHUTTING_DOWN, "gateway is shutting down; retry"));
    if (!who.isRider()) {
      return reject(
          new Rejection(
              Rejection.Reason.NOT_AUTHORIZED,
              "only riders publish fixes; this token's role is '" + who.role() + "'"));
    }
    return access
        .check(who.subject(), taskId)
        .compose(
            decision -> {
              Rejection r = refusal(decision, who, taskId);
              return r == null ? Future.succeededFuture() : reject(r);
            });
  }

  /**
   * @param queueLimit the queue depth above which this payload is refused (HTTP uses the soft
   *     limit, MQTT the hard one: MQTT's natural back-pressure is the withheld acknowledgement)
   */
  public Future<Integer> ingest(
      String transport, Principal who, String taskId, Buffer payload, int queueLimit) {
    long started = System.nanoTime();
    if (shuttingDown)
      return reject(
          new Rejection(Rejection.Reason.SHUTTING_DOWN, "gateway is shutting down; retry"));
    if (!who.isRider()) {
      return reject(
          new Rejection(
              Rejection.Reason.NOT_AUTHORIZED,
              "only riders publish fixes; this token's role is '" + who.role() + "'"));
    }
    long now = clock.millis();
    ParsedFixes parsed = parser.parse(payload, now);
    if (!parsed.isValid()) {
      String first = parsed.errors().get(0).toString();
      String more =
          parsed.errors().size() > 1 ? " (and " + (parsed.errors().size() - 1) + " more)" : "";
      return reject(new Rejection(Rejection.Reason.BAD_PAYLOAD, first + more, parsed.errors()));
    }
    return access
        .check(who.subject(), taskId)
        .compose(
            decision -> {
              Rejection refused = refusal(decision, who, taskId);
              if (refused != null) {
                metrics.received(transport, parsed.fixes().size());
                return reject(refused);
              }
              return write(
                  transport, who.subject(), taskId, parsed.fixes(), now, queueLimit, started);
            });
  }

  /**
   * Writes valid fixes of a rider's task in progress (checked by the caller): admission against
   * {@code queueLimit}, the durable write, then the live stream. Phone apps (device keys) come in
   * here with fixes they decoded from their own protocol.
   *
   * @param started {@link System#nanoTime()} when the payload arrived (acknowledgement latency)
   */
  public Future<Integer> write(
      String transport,
      String riderId,
      String taskId,
      List<Fix> fixes,
      long receivedAt,
      int queueLimit,
      long started) {
    int n = fixes.size();
    metrics.received(transport, n);
    if (discard) {
      metrics.acknowledged(System.nanoTime() - started);
      return Future.succeededFuture(n);
    }
    if (!writer.hasRoom(n, queueLimit)) {
      return reject(
          new Rejection(
              Rejection.Reason.OVERLOADED,
              "gateway is shedding load (" + writer.outstanding() + " fixes queued); retry later"));
    }
    return writer
        .write(taskId, riderId, fixes, receivedAt)
        .recover(err -> reject(storeRefusal(err, fixes)))
        .map(
            v -> {
              metrics.acknowledged(System.nanoTime() - started);
              handOff(taskId, riderId, fixes, receivedAt);
              return n;
            });
  }

  /**
   * A fix the store itself judged invalid is the payload's fault (resending cannot help), named by
   * its ts; any other refusal is the store's.
   */
  static Rejection storeRefusal(Throwable err, List<Fix> fixes) {
    if (err instanceof StoreRefusedFix refused && refused.invalidItem()) {
      int index = 0;
      while (index < fixes.size() && fixes.get(index).ts() != refused.ts()) index++;
      FixError error =
          new FixError(
              index < fixes.size() ? index : FixError.PAYLOAD,
              null,
              "fix with ts " + refused.ts() + " cannot be stored: " + refused.getMessage());
      return new Rejection(Rejection.Reason.BAD_PAYLOAD, error.toString(), List.of(error));
    }
    return new Rejection(
        Rejection.Reason.STORE_FAILED, "fixes could not be stored: " + err.getMessage());
  }

  /** Why the task-access decision refuses, or null when it allows. */
  private static Rejection refusal(TaskAccess.Decision decision, Principal who, String taskId) {
    return switch (decision) {
      case ALLOWED -> null;
      case UNKNOWN_TASK ->
          new Rejection(Rejection.Reason.UNKNOWN_TASK, "unknown task '" + taskId + "'");
      case NOT_ASSIGNED_TO_RIDER ->
          new Rejection(
              Rejection.Reason.NOT_AUTHORIZED,
              "task '" + taskId + "' is not claimed by rider '" + who.subject() + "'");
      case NOT_IN_PROGRESS ->
          new Rejection(
              Rejection.Reason.NOT_AUTHORIZED, "task '" + taskId + "' is not in progress");
    };
  }

  /** The live stream must never fail or delay an acknowledgement: its errors stay here. */
  private void handOff(String taskId, String riderId, List<Fix> fixes, long receivedAt) {
    try {
      stored.stored(taskId, riderId, fixes, receivedAt);
    } catch (RuntimeException e) {
      log.warn("stored fixes of task {} not handed to the live stream: {}", taskId, e.toString());
    }
  }

  private <T> Future<T> reject(Rejection r) {
    metrics.rejected(r.reason().metricName, 1);
    return Future.failedFuture(r);
  }
}
