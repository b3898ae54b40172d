package io.tracklane.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tracklane.core.fix.Fix;
import io.tracklane.devkit.Dynalite;
import io.tracklane.devkit.DynamoFaultProxy;
import io.tracklane.gateway.metrics.GatewayMetrics;
import io.tracklane.gateway.store.FixBatchWriter;
import io.tracklane.gateway.store.TableBootstrap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The writer on its own, against dynalite through the fault proxy (Hono-style: the downstream write
 * is held open and the test asserts that no future completes until it is released).
 */
@ExtendWith(VertxExtension.class)
class FixBatchWriterIT {
  static final int IN_FLIGHT = 3;
  String table;
  DynamoFaultProxy proxy;
  DynamoDbAsyncClient client;
  DynamoDbAsyncClient direct;
  FixBatchWriter writer;
  Context context;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    Dynalite dynalite = Dynalite.shared();
    table = "writer-" + UUID.randomUUID().toString().substring(0, 8);
    direct = GatewayHarness.directClient(dynalite.endpoint());
    TableBootstrap.ensureTable(vertx, direct, table).await(30, TimeUnit.SECONDS);
    proxy = DynamoFaultProxy.start(vertx, "127.0.0.1", dynalite.port()).await(10, TimeUnit.SECONDS);
    client = GatewayHarness.directClient(proxy.endpoint());
    context = vertx.getOrCreateContext();
    writer =
        new FixBatchWriter(
            vertx,
            context,
            client,
            new FixBatchWriter.Settings(table, 20, IN_FLIGHT, 5, 50, 86_400),
            new GatewayMetrics(new SimpleMeterRegistry()));
  }

  @AfterEach
  void tearDown() throws Exception {
    proxy.closeAsync().await(10, TimeUnit.SECONDS);
    client.close();
    direct.close();
  }

  static List<Fix> fixes(long ts0, int n) {
    List<Fix> l = new ArrayList<>();
    for (int i = 0; i < n; i++) l.add(Fix.of(ts0 + i, 31.2 + i * 1e-5, 121.4));
    return l;
  }

  Future<Void> write(String task, List<Fix> fixes) {
    io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
    context.runOnContext(
        v -> writer.write(task, "rider-1", fixes, System.currentTimeMillis()).onComplete(p));
    return p.future();
  }

  @Test
  void noFutureCompletesWhileTheWriteIsHeld(Vertx vertx, VertxTestContext ctx) {
    proxy.holdBatchWrites();
    Future<Void> f = write("t-held", fixes(1_000, 10));
    vertx.setTimer(
        800,
        t ->
            ctx.verify(
                () -> {
                  assertEquals(1, proxy.heldCount(), "one partial batch after the linger");
                  assertFalse(f.isComplete(), "held write: no completion");
                  assertEquals(10, writer.outstanding());
                  proxy.releaseBatchWrites();
                  f.onComplete(
                      ctx.succeeding(
                          v ->
                              ctx.verify(
                                  () -> {
                                    assertEquals(0, writer.outstanding());
                                    ctx.completeNow();
                                  })));
                }));
  }

  @Test
  void fullBatchesOf25AndABoundedNumberInFlight(Vertx vertx, VertxTestContext ctx) {
    proxy.holdBatchWrites();
    Future<Void> f = write("t-many", fixes(1_000, 25 * 8));
    vertx.setTimer(
        800,
        t ->
            ctx.verify(
                () -> {
                  assertEquals(IN_FLIGHT, proxy.heldCount(), "never more than the in-flight limit");
                  proxy.releaseBatchWrites();
                  f.onComplete(
                      ctx.succeeding(
                          v ->
                              ctx.verify(
                                  () -> {
                                    assertEquals(
                                        8,
                                        proxy.batchWriteRequests(),
                                        "200 fixes = 8 full batches");
                                    assertEquals(200, proxy.batchWriteItemsForwarded());
                                    ctx.completeNow();
                                  })));
                }));
  }

  /**
   * A request that returns frees its slot, but a partial batch still waits out its linger: at the
   * 10 s cadence the old writer flushed whatever was queued whenever a request returned, making
   * BatchWriteItem calls of one or two items, each costing the CPU of a full one.
   */
  @Test
  void aFreedSlotTakesAPartialBatchOnlyAfterItsLinger(Vertx vertx, VertxTestContext ctx) {
    FixBatchWriter oneSlot =
        new FixBatchWriter(
            vertx,
            context,
            client,
            new FixBatchWriter.Settings(table, 1_500, 1, 5, 50, 86_400),
            new GatewayMetrics(new SimpleMeterRegistry()));
    proxy.holdBatchWrites();
    List<Future<Void>> all = new ArrayList<>();
    context.runOnContext(
        v -> {
          long now = System.currentTimeMillis();
          all.add(oneSlot.write("t-full", "rider-1", fixes(1_000, 25), now));
          all.add(oneSlot.write("t-late", "rider-1", fixes(5_000, 1), now));
        });
    // the full batch holds the only slot; it returns while the single fix is still lingering
    vertx.setTimer(60, t -> proxy.releaseBatchWrites());
    vertx.setTimer(
        650,
        t ->
            ctx.verify(
                () -> {
                  assertTrue(all.get(0).succeeded(), "the full batch was written");
                  assertEquals(1, proxy.batchWriteRequests(), "the single fix is still lingering");
                }));
    vertx.setTimer(
        700,
        t ->
            context.runOnContext(
                v ->
                    all.add(
                        oneSlot.write(
                            "t-late", "rider-1", fixes(6_000, 2), System.currentTimeMillis()))));
    vertx.setTimer(
        4_000,
        t ->
            Future.all(all)
                .onComplete(
                    ctx.succeeding(
                        v ->
                            ctx.verify(
                                () -> {
                                  assertEquals(28, proxy.batchWriteItemsForwarded());
                                  assertEquals(
                                      2,
                                      proxy.batchWriteRequests(),
                                      "the full batch, then the 3 late fixes together");
                                  ctx.completeNow();
                                }))));
  }

  @Test
  void partialWritesAreRetriedOnlyForTheUnprocessedItems(VertxTestContext ctx) {
    proxy.injectUnprocessed(1);
    write("t-partial", fixes(1_000, 25))
        .onComplete(
            ctx.succeeding(
                v ->
                    ctx.verify(
                        () -> {
                          assertEquals(2, proxy.batchWriteRequests());
                          assertEquals(
                              25,
                              proxy.batchWriteItemsForwarded(),
                              "12 then the 13 unprocessed, nothing twice");
                          ctx.completeNow();
                        })));
  }

  @Test
  void aRefusalRetryCannotCureFailsTheFuture(Vertx vertx, VertxTestContext ctx) throws Exception {
    // A table whose key is not (taskId, ts): DynamoDB answers ValidationException, which no retry
    // fixes.
    String wrong = "wrong-" + UUID.randomUUID().toString().substring(0, 8);
    direct
        .createTable(
            b ->
                b.tableName(wrong)
                    .billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(
                        a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType("HASH")))
        .join();
    FixBatchWriter w =
        new FixBatchWriter(
            vertx,
            context,
            client,
            new FixBatchWriter.Settings(wrong, 5, 2, 5, 50, 86_400),
            new GatewayMetrics(new SimpleMeterRegistry()));
    context.runOnContext(
        v ->
            w.write("t", "r", fixes(1, 3), 0)
                .onComplete(
                    ctx.failing(
                        err ->
                            ctx.verify(
                                () -> {
                                  assertTrue(err.getMessage().contains("key"), err.getMessage());
                                  assertEquals(
                                      0,
                                      w.outstanding(),
                                      "a failed fix is no longer counted as queued");
                                  ctx.completeNow();
                                }))));
  }

  @Test
  void drainFlushesWithoutWaitingForTheLinger(Vertx vertx, VertxTestContext ctx) {
    FixBatchWriter slow =
        new FixBatchWriter(
            vertx,
            context,
            client,
            new FixBatchWriter.Settings(table, 60_000, 2, 5, 50, 86_400),
            new GatewayMetrics(new SimpleMeterRegistry()));
    context.runOnContext(
        v -> {
          Future<Void> f = slow.write("t-drain", "rider-1", fixes(5_000, 3), 0);
          slow.drain(5_000)
              .onComplete(
                  ctx.succeeding(
                      d ->
                          ctx.verify(
                              () -> {
                                assertTrue(f.succeeded());
                                ctx.completeNow();
                              })));
        });
  }
}
