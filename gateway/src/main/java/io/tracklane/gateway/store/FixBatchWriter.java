package io.tracklane.gateway.store;

import io.tracklane.core.fix.Fix;
import io.tracklane.fixestable.FixItemCodec;
import io.tracklane.gateway.metrics.GatewayMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * One writer for every connection: queues fixes, writes them with BatchWriteItem (at most 25
 * distinct keys a request), and completes each submission's future only when every one of its items
 * is durably written — never while any sits in UnprocessedItems.
 *
 * <p>All state lives on one Vert.x context, so there are no locks. Batches flush when 25 items are
 * queued or after a short linger; at most {@code maxInFlight} requests run at once, and a request
 * being retried keeps its slot, so a slow or failing store slows intake instead of piling up
 * requests. Retryable failures (throttling, 5xx, timeouts, connection errors, partial writes) are
 * retried without limit with capped exponential backoff and full jitter: a fault may delay a fix,
 * never lose it. The queue is bounded by the callers' admission checks ({@link #hasRoom}).
 *
 * <p>A refusal that no retry can cure (a ValidationException, say, for one item DynamoDB cannot
 * hold) fails only the items that caused it: the batch is split in halves and each half sent again,
 * down to the single offending item, which alone fails with {@link StoreRefusedFix}. Its
 * neighbours, often other riders' fixes, are written as if nothing happened. The halves share the
 * original request's write slot.
 */
public final class FixBatchWriter {
  private static final Logger log = LoggerFactory.getLogger(FixBatchWriter.class);
  public static final int MAX_BATCH_ITEMS = 25;

  public record Settings(
      String table,
      long lingerMs,
      int maxInFlight,
      long retryBaseMs,
      long retryMaxMs,
      long retentionSeconds) {}

  private final Vertx vertx;
  private final Context context;
  private final DynamoDbAsyncClient ddb;
  private final Settings settings;
  private final GatewayMetrics metrics;

  private final ArrayDeque<Pending> queue = new ArrayDeque<>();

  /**
   * Fixes accepted and not yet written or failed (queued + in flight); read by the metrics thread.
   */
  private volatile int outstanding;

  private int inFlight;
  private long lingerTimer = -1;
  private boolean draining;
  private Promise<Void> drained;

  public FixBatchWriter(
      Vertx vertx,
      Context context,
      DynamoDbAsyncClient ddb,
      Settings settings,
      GatewayMetrics metrics) {
    this.vertx = vertx;
    this.context = context;
    this.ddb = ddb;
    this.settings = settings;
    this.metrics = metrics;
    metrics.queueDepth(() -> outstanding);
  }

  /** Fixes accepted but not yet durably written. */
  public int outstanding() {
    return outstanding;
  }

  /**
   * Whether {@code n} more fixes fit under {@code limit}. An empty writer always takes a payload,
   * so a limit smaller than the largest payload cannot starve a client forever.
   */
  public boolean hasRoom(int n, int limit) {
    int now = outstanding;
    return now == 0 || now + n <= limit;
  }

  /**
   * Queues the fixes of one payload; the future completes when all are written, or fails if the
   * store refused them for a reason a retry cannot cure.
   */
  public Future<Void> write(String taskId, String riderId, List<Fix> fixes, long receivedAtMs) {
    if (Vertx.currentContext() != context) {
      Promise<Void> hop = Promise.promise();
      context.runOnContext(v -> write(taskId, riderId, fixes, receivedAtMs).onComplete(hop));
      return hop.future();
    }
    if (fixes.isEmpty()) return Future.succeededFuture();
    List<Map<String, AttributeValue>> items = new ArrayList<>(fixes.size());
    for (Fix fix : fixes) {
      try {
        items.add(
            FixItemCodec.toItem(taskId, riderId, fix, receivedAtMs, settings.retentionSeconds()));
      } catch (IllegalArgumentException e) {
        // The parser admits only storable values; this guards other callers. Nothing was queued.
        return Future.failedFuture(new StoreRefusedFix(fix.ts(), e.getMessage(), true));
      }
    }
    Submission submission = new Submission(fixes.size());
    long queuedAt = System.nanoTime();
    for (Map<String, AttributeValue> item : items) {
      queue.addLast(new Pending(FixItemCodec.keyOf(item), item, submission, queuedAt));
    }
    outstanding += fixes.size();
    pump(false);
    return submission.promise.future();
  }

  /** For shutdown: write everything queued now; completes when nothing is outstanding. */
  public Future<Void> drain(long timeoutMs) {
    Promise<Void> result = Promise.promise();
    context.runOnContext(
        v -> {
          draining = true;
          if (drained == null) drained = Promise.promise();
          pump(true);
          checkDrained();
          long timer =
              vertx.setTimer(
                  Math.max(1, timeoutMs),
                  t -> {
                    if (!drained.future().isComplete()) {
                      drained.tryFail(
                          "drain timed out with " + outstanding + " fixes not yet written");
                    }
                  });
          drained.future().onComplete(ar -> vertx.cancelTimer(timer)).onComplete(result);
        });
    return result.future();
  }

  private void pump(boolean flushPartial) {
    while (inFlight < settings.maxInFlight() && !queue.isEmpty()) {
      if (!flushPartial && !draining && queue.size() < MAX_BATCH_ITEMS) break;
      inFlight++;
      send(new Request(), takeBatch(), 0);
    }
    if (queue.isEmpty()) {
      cancelLinger();
    } else if (lingerTimer == -1) {
      lingerTimer =
          vertx.setTimer(
              Math.max(1, settings.lingerMs()),
              id -> {
                lingerTimer = -1;
                pump(true);
              });
    }
  }

  private void cancelLinger() {
    if (lingerTimer != -1) {
      vertx.cancelTimer(lingerTimer);
      lingerTimer = -1;
    }
  }

  /**
   * Up to 25 distinct keys; a repeated key within the batch keeps the newest item (DynamoDB rejects
   * duplicates).
   */
  private List<Group> takeBatch() {
    LinkedHashMap<String, Group> groups = new LinkedHashMap<>();
    while (!queue.isEmpty()) {
      Pending p = queue.peekFirst();
      Group g = groups.get(p.key);
      if (g == null) {
        if (groups.size() == MAX_BATCH_ITEMS) break;
        groups.put(p.key, new Group(p));
      } else {
        g.absorb(p);
      }
      queue.pollFirst();
    }
    return new ArrayList<>(groups.values());
  }

  private void send(Request request, List<Group> batch, int attempt) {
    List<WriteRequest> requests = new ArrayList<>(batch.size());
    for (Group g : batch) {
      requests.add(
          WriteRequest.builder().putRequest(PutRequest.builder().item(g.item).build()).build());
    }
    BatchWriteItemRequest call =
        BatchWriteItemRequest.builder().requestItems(Map.of(settings.table(), requests)).build();
    long started = System.nanoTime();
    CompletableFuture<BatchWriteItemResponse> response;
    try {
      response = ddb.batchWriteItem(call);
    } catch (RuntimeException e) {
      response = CompletableFuture.failedFuture(e);
    }
    Future.fromCompletionStage(response, context)
        .onComplete(
            ar -> {
              metrics.batch(batch.size(), System.nanoTime() - started);
              if (ar.succeeded()) {
                onWritten(request, batch, ar.result(), attempt);
              } else {
                onFailed(request, batch, AsyncFailures.unwrap(ar.cause()), attempt);
              }
            });
  }

  private void onWritten(
      Request request, List<Group> batch, BatchWriteItemResponse response, int attempt) {
    // hasUnprocessedItems() is true even for an empty map: look at the content.
    List<WriteRequest> unprocessed =
        response.unprocessedItems().getOrDefault(settings.table(), List.of());
    if (unprocessed.isEmpty()) {
      batch.forEach(g -> g.done(null));
      request.partDone();
      return;
    }
    Set<String> notWritten = new HashSet<>();
    for (WriteRequest w : unprocessed) notWritten.add(FixItemCodec.keyOf(w.putRequest().item()));
    List<Group> rest = new ArrayList<>(notWritten.size());
    for (Group g : batch) {
      if (notWritten.contains(g.key)) rest.add(g);
      else g.done(null);
    }
    metrics.retry("unprocessed", rest.size());
    retryLater(request, rest, attempt + 1);
  }

  private void onFailed(Request request, List<Group> batch, Throwable error, int attempt) {
    String cause = retryCause(error);
    if (cause != null) {
      metrics.retry(cause, batch.size());
      if (attempt == 3 || attempt % 20 == 0) {
        log.warn(
            "BatchWriteItem failing ({}), attempt {}, retrying: {}",
            cause,
            attempt + 1,
            error.toString());
      }
      retryLater(request, batch, attempt + 1);
      return;
    }
    if (batch.size() > 1) {
      // Find the offender: halves go out at once (no backoff: the store answered, it is not
      // overloaded).
      if (!request.splitLogged) {
        request.splitLogged = true;
        log.warn(
            "BatchWriteItem refused {} items, not retryable ({}); splitting the batch to isolate the offending item",
            batch.size(),
            error.toString());
      }
      metrics.retry("isolate", batch.size());
      int half = batch.size() / 2;
      request.parts++;
      send(request, new ArrayList<>(batch.subList(0, half)), 0);
      send(request, new ArrayList<>(batch.subList(half, batch.size())), 0);
      request.partDone();
      return;
    }
    Group offender = batch.get(0);
    log.error(
        "BatchWriteItem refused the fix {} (not retryable): {}",
        offender.key.replace('\u0000', '/'),
        error.toString());
    StoreRefusedFix refusal =
        new StoreRefusedFix(
            Long.parseLong(offender.item.get(FixItemCodec.TS).n()),
            storeMessage(error),
            isValidationError(error));
    offender.done(refusal);
    metrics.writeFailed(offender.owners.size());
    request.partDone();
  }

  private void retryLater(Request request, List<Group> batch, int attempt) {
    long cap = Math.min(settings.retryMaxMs(), settings.retryBaseMs() << Math.min(attempt, 20));
    long delay = ThreadLocalRandom.current().nextLong(cap + 1); // full jitter
    vertx.setTimer(Math.max(1, delay), t -> send(request, batch, attempt));
  }

  /** Whether the store said the item itself is invalid (as opposed to a refusal of the caller). */
  static boolean isValidationError(Throwable e) {
    return e instanceof AwsServiceException ase
        && ase.awsErrorDetails() != null
        && "ValidationException".equals(ase.awsErrorDetails().errorCode());
  }

  private static String storeMessage(Throwable e) {
    if (e instanceof AwsServiceException ase
        && ase.awsErrorDetails() != null
        && ase.awsErrorDetails().errorMessage() != null) {
      return ase.awsErrorDetails().errorMessage();
    }
    return e.getClass().getSimpleName();
  }

  private void finishRequest() {
    inFlight--;
    // A freed slot takes a full batch at once, but a partial one only when its oldest fix has
    // lingered its time: flushing whatever is queued whenever a request returns made batches of a
    // few items at the 10 s cadence, and each BatchWriteItem costs the same CPU whatever it holds.
    pump(lingered());
    checkDrained();
  }

  /** Whether the oldest queued fix has waited at least the linger. */
  private boolean lingered() {
    Pending oldest = queue.peekFirst();
    return oldest != null
        && System.nanoTime() - oldest.queuedAtNanos() >= settings.lingerMs() * 1_000_000L;
  }

  private void checkDrained() {
    if (drained != null && outstanding == 0) drained.tryComplete();
  }

  /** The retry cause for metrics, or null when retrying cannot help (e.g. a validation error). */
  static String retryCause(Throwable e) {
    if (e instanceof SdkClientException)
      return "client"; // connection refused/reset, attempt timeout
    if (e instanceof AwsServiceException ase) {
      if (ase.isThrottlingException()) return "throttling";
      if (ase.statusCode() >= 500) return "server_error";
      if (ase instanceof ResourceNotFoundException)
        return "table_missing"; // being created or restored
      return null;
    }
    return "io";
  }

  /**
   * One BatchWriteItem slot: the first batch, its retries and, when a batch is split to isolate an
   * offending item, all its parts. The slot is freed when the last part is done.
   */
  private final class Request {
    int parts = 1;
    boolean splitLogged;

    void partDone() {
      if (--parts == 0) finishRequest();
    }
  }

  /** Every item's future completes once; a submission completes when its last item does. */
  private final class Submission {
    final Promise<Void> promise = Promise.promise();
    int remaining;
    Throwable failure;

    Submission(int items) {
      this.remaining = items;
    }

    void itemDone(Throwable error) {
      outstanding--;
      if (error == null) metrics.written(1);
      else if (failure == null) failure = error;
      if (--remaining == 0) {
        if (failure == null) promise.complete();
        else promise.fail(failure);
      }
    }
  }

  private record Pending(
      String key, Map<String, AttributeValue> item, Submission owner, long queuedAtNanos) {}

  /** One key in a batch: the newest item for it, and every submission waiting for it. */
  private static final class Group {
    final String key;
    Map<String, AttributeValue> item;
    final List<Submission> owners = new ArrayList<>(1);

    Group(Pending p) {
      this.key = p.key();
      this.item = p.item();
      owners.add(p.owner());
    }

    void absorb(Pending later) {
      item = later.item();
      owners.add(later.owner());
    }

    void done(Throwable error) {
      for (Submission s : owners) s.itemDone(error);
    }
  }
}
