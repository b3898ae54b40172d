package io.tracklane.loadtest;

import io.tracklane.core.fix.Fix;
import io.tracklane.fixestable.FixItemCodec;
import io.tracklane.gateway.store.FixBatchWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The ceiling the gateway is measured against: BatchWriteItem requests of 25 distinct fix items
 * (the gateway's item layout) sent straight to the store, {@code inFlight} at a time, each lane
 * sending its next request as soon as the previous one answers. No retries: an item counts as
 * written when a request returned it neither failed nor in UnprocessedItems.
 */
public final class RawBatchWriteLoad {
  private static final int TASKS = 200;
  private static final long DAY_MS = 86_400_000L;
  private static final long SETTLE_TIMEOUT_MS = 30_000;
  private static final Executor AFTER_FAILURE =
      CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS);

  /**
   * @param items items written inside the measurement window
   * @param itemsTotal every item written, warm-up and the requests finishing after the window
   *     included
   * @param meanMs BatchWriteItem round trip of the requests answered inside the window
   */
  public record Result(
      long items,
      Duration measured,
      double itemsPerSecond,
      long itemsTotal,
      long requests,
      double meanMs,
      double p50Ms,
      double p99Ms,
      double maxMs,
      long failedRequests,
      long unprocessedItems,
      String firstError) {}

  private final DynamoDbAsyncClient ddb;
  private final String table;
  private final int inFlight;
  private final long retentionSeconds;
  private final long baseTs = System.currentTimeMillis() - DAY_MS;
  private final AtomicLong seq = new AtomicLong();
  private final LongAdder written = new LongAdder();
  private final LongAdder requests = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder unprocessed = new LongAdder();
  private final Recorder latencyMicros = new Recorder(3);
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private volatile boolean stop;
  private CountDownLatch lanesDone;

  public RawBatchWriteLoad(
      DynamoDbAsyncClient ddb, String table, int inFlight, long retentionSeconds) {
    if (inFlight <= 0) throw new IllegalArgumentException("inFlight must be positive");
    this.ddb = ddb;
    this.table = table;
    this.inFlight = inFlight;
    this.retentionSeconds = retentionSeconds;
  }

  /**
   * Runs {@code warmup + duration}, then waits (bounded) for the requests still in flight. Blocks.
   */
  public synchronized Result run(
      Duration warmup, Duration duration, MqttFleet.WindowListener listener)
      throws InterruptedException {
    if (lanesDone != null) throw new IllegalStateException("runs once");
    lanesDone = new CountDownLatch(inFlight);
    for (int i = 0; i < inFlight; i++) send();
    long itemsBefore;
    long itemsAfter;
    long started;
    long ended;
    Histogram h;
    try {
      // Pacing the load, not waiting for a condition: the phases are fixed lengths of time.
      Thread.sleep(warmup.toMillis());
      itemsBefore = written.sum();
      latencyMicros.reset();
      started = System.nanoTime();
      listener.windowStarted();
      Thread.sleep(duration.toMillis());
      itemsAfter = written.sum();
      h = latencyMicros.getIntervalHistogram();
      ended = System.nanoTime();
      listener.windowEnded();
    } finally {
      stop = true;
      if (!lanesDone.await(SETTLE_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        firstError.compareAndSet(
            null, "requests still in flight after " + SETTLE_TIMEOUT_MS + " ms");
      }
    }
    long items = itemsAfter - itemsBefore;
    long nanos = ended - started;
    boolean any = h.getTotalCount() > 0;
    return new Result(
        items,
        Duration.ofNanos(nanos),
        items / (nanos / 1e9),
        written.sum(),
        requests.sum(),
        any ? h.getMean() / 1000.0 : 0,
        any ? h.getValueAtPercentile(50) / 1000.0 : 0,
        any ? h.getValueAtPercentile(99) / 1000.0 : 0,
        any ? h.getMaxValue() / 1000.0 : 0,
        failed.sum(),
        unprocessed.sum(),
        firstError.get());
  }

  /** One lane: a request, and on its answer the next one, until stopped. */
  private void send() {
    if (stop) {
      lanesDone.countDown();
      return;
    }
    BatchWriteItemRequest request = nextBatch();
    int size = FixBatchWriter.MAX_BATCH_ITEMS;
    long t0 = System.nanoTime();
    CompletableFuture<BatchWriteItemResponse> call;
    try {
      call = ddb.batchWriteItem(request);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete(
        (response, error) -> {
          requests.increment();
          if (error != null) {
            failed.increment();
            firstError.compareAndSet(null, error.toString());
            // Never spin on a failing store: the next request of this lane goes out a little later.
            CompletableFuture.runAsync(this::send, AFTER_FAILURE);
            return;
          }
          latencyMicros.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
          int notWritten = response.unprocessedItems().getOrDefault(table, List.of()).size();
          unprocessed.add(notWritten);
          written.add(size - notWritten);
          send();
        });
  }

  /** 25 items with distinct keys: item n goes to raw-task-(n mod 200) at ts base + n / 200. */
  private BatchWriteItemRequest nextBatch() {
    int size = FixBatchWriter.MAX_BATCH_ITEMS;
    long first = seq.getAndAdd(size);
    long now = System.currentTimeMillis();
    List<WriteRequest> writes = new ArrayList<>(size);
    for (int k = 0; k < size; k++) {
      long n = first + k;
      int task = (int) (n % TASKS);
      double wiggle = (n % 1000) * 1e-5;
      Fix fix =
          new Fix(baseTs + n / TASKS, 31.2 + wiggle, 121.4 + wiggle, 5.0, 3.1, 90.0, null, 0.8);
      Map<String, AttributeValue> item =
          FixItemCodec.toItem("raw-task-" + task, "raw-rider-" + task, fix, now, retentionSeconds);
      writes.add(
          WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
    }
    return BatchWriteItemRequest.builder().requestItems(Map.of(table, writes)).build();
  }
}
