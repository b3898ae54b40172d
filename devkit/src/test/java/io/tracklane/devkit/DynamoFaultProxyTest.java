package io.tracklane.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DynamoFaultProxyTest {

  private static Vertx vertx;
  private static Dynalite dynalite;
  private static DynamoFaultProxy proxy;
  private static DynamoHttp viaProxy;
  private static DynamoHttp direct;

  private String table;

  @BeforeAll
  static void startAll() throws Exception {
    vertx = Vertx.vertx();
    dynalite = Dynalite.shared();
    proxy = DynamoFaultProxy.start(vertx, "127.0.0.1", dynalite.port()).await(10, TimeUnit.SECONDS);
    viaProxy = new DynamoHttp(proxy.endpoint());
    direct = new DynamoHttp(dynalite.endpoint());
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void freshTable() throws Exception {
    proxy.reset();
    table = viaProxy.createTable("fixes"); // CreateTable itself goes through the proxy
  }

  @AfterEach
  void clearFaults() {
    proxy.reset();
  }

  @Test
  void passesBatchWritesThroughVerbatim() throws Exception {
    int requestsBefore = proxy.batchWriteRequests();
    int forwardedBefore = proxy.batchWriteItemsForwarded();

    HttpResponse<String> resp = viaProxy.call("BatchWriteItem", DynamoHttp.batchPut(table, 4));

    assertEquals(200, resp.statusCode(), resp.body());
    assertEquals(new JsonObject(), new JsonObject(resp.body()).getJsonObject("UnprocessedItems"));
    assertCrcMatches(resp);
    assertEquals(4, direct.count(table));
    assertEquals(requestsBefore + 1, proxy.batchWriteRequests());
    assertEquals(forwardedBefore + 4, proxy.batchWriteItemsForwarded());
  }

  @Test
  void injectUnprocessedReturnsTheSecondHalf() throws Exception {
    int faultsBefore = proxy.faultsInjected();
    proxy.injectUnprocessed(1);

    HttpResponse<String> resp = viaProxy.call("BatchWriteItem", DynamoHttp.batchPut(table, 4));

    assertEquals(200, resp.statusCode(), resp.body());
    assertTrue(
        resp.headers()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("application/x-amz-json-1.0"));
    assertCrcMatches(resp);
    JsonArray unprocessed =
        new JsonObject(resp.body()).getJsonObject("UnprocessedItems").getJsonArray(table);
    assertEquals(2, unprocessed.size());
    assertEquals("fix-3", itemId(unprocessed.getJsonObject(0)));
    assertEquals("fix-4", itemId(unprocessed.getJsonObject(1)));
    assertEquals(2, direct.count(table));
    assertEquals(faultsBefore + 1, proxy.faultsInjected());

    // The fault was for one request only: the client's retry of the rest goes through.
    JsonObject retry =
        new JsonObject().put("RequestItems", new JsonObject().put(table, unprocessed));
    JsonObject second = viaProxy.ok("BatchWriteItem", retry);
    assertEquals(new JsonObject(), second.getJsonObject("UnprocessedItems"));
    assertEquals(4, direct.count(table));
  }

  @Test
  void singleItemBatchIsNotForwardedWhenInjectingUnprocessed() throws Exception {
    int forwardedBefore = proxy.batchWriteItemsForwarded();
    proxy.injectUnprocessed(1);

    HttpResponse<String> resp = viaProxy.call("BatchWriteItem", DynamoHttp.batchPut(table, 1));

    assertEquals(200, resp.statusCode());
    assertCrcMatches(resp);
    JsonArray unprocessed =
        new JsonObject(resp.body()).getJsonObject("UnprocessedItems").getJsonArray(table);
    assertEquals(1, unprocessed.size());
    assertEquals(0, direct.count(table));
    assertEquals(forwardedBefore, proxy.batchWriteItemsForwarded());
  }

  @Test
  void throttlingAnswers400WithoutForwarding() throws Exception {
    proxy.injectThrottling(1);

    HttpResponse<String> resp = viaProxy.call("BatchWriteItem", DynamoHttp.batchPut(table, 4));

    assertEquals(400, resp.statusCode());
    assertCrcMatches(resp);
    assertEquals(
        "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
        new JsonObject(resp.body()).getString("__type"));
    assertEquals(0, direct.count(table));

    assertEquals(200, viaProxy.call("BatchWriteItem", DynamoHttp.batchPut(table, 4)).statusCode());
    assertEquals(4, direct.count(table));
  }

  @Test
  void serverErrorsAnswer500WithoutForwarding() throws Exception {
    proxy.injectServerErrors(2);

    for (int i = 0; i < 2; i++) {
      HttpResponse<String> resp = viaProxy.call("BatchWriteItem", DynamoHttp.batchPut(table, 2));
      assertEquals(500, resp.statusCode());
      assertEquals(
          "com.amazonaws.dynamodb.v20120810#InternalServerError",
          new JsonObject(resp.body()).getString("__type"));
    }
    assertEquals(0, direct.count(table));
    assertEquals(200, viaProxy.call("BatchWriteItem", DynamoHttp.batchPut(table, 2)).statusCode());
  }

  @Test
  void holdBlocksTheResponseUntilRelease() throws Exception {
    proxy.holdBatchWrites();

    CompletableFuture<HttpResponse<String>> pending =
        viaProxy.callAsync("BatchWriteItem", DynamoHttp.batchPut(table, 4));

    awaitCondition(() -> proxy.heldCount() == 1, Duration.ofSeconds(10));
    assertThrows(TimeoutException.class, () -> pending.get(500, TimeUnit.MILLISECONDS));
    assertEquals(0, direct.count(table), "held request must not reach the target");
    // Other operations are not held.
    assertEquals(0, viaProxy.count(table));

    proxy.releaseBatchWrites();

    HttpResponse<String> resp = pending.get(10, TimeUnit.SECONDS);
    assertEquals(200, resp.statusCode(), resp.body());
    assertEquals(0, proxy.heldCount());
    assertEquals(4, direct.count(table));
  }

  @Test
  void delayPostponesForwarding() throws Exception {
    Duration delay = Duration.ofMillis(400);
    proxy.delayBatchWrites(delay);

    long start = System.nanoTime();
    HttpResponse<String> resp = viaProxy.call("BatchWriteItem", DynamoHttp.batchPut(table, 2));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertEquals(200, resp.statusCode());
    assertTrue(elapsedMs >= delay.toMillis(), "took only " + elapsedMs + " ms");
    assertEquals(2, direct.count(table));
  }

  @Test
  void headersAndHostAreForwardedAsReceived() throws Exception {
    // An echo target shows exactly what the proxy sends upstream.
    HttpServer echo =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              JsonObject seen =
                                  new JsonObject()
                                      .put("uri", req.uri())
                                      .put("body", body.toString());
                              for (Map.Entry<String, String> h : req.headers()) {
                                seen.put(h.getKey().toLowerCase(), h.getValue());
                              }
                              Buffer out = seen.toBuffer();
                              req.response()
                                  .putHeader("Content-Type", "application/x-amz-json-1.0")
                                  .putHeader("x-amz-crc32", DynamoFaultProxy.crc32(out))
                                  .putHeader("x-test-upstream", "yes")
                                  .end(out);
                            }))
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    try (DynamoFaultProxy echoProxy =
        DynamoFaultProxy.start(vertx, "127.0.0.1", echo.actualPort()).await(10, TimeUnit.SECONDS)) {
      DynamoHttp client = new DynamoHttp(echoProxy.endpoint());
      JsonObject body = new JsonObject().put("TableName", "t");

      HttpResponse<String> resp = client.call("DescribeTable", body);

      assertEquals(200, resp.statusCode());
      assertEquals("yes", resp.headers().firstValue("x-test-upstream").orElse(null));
      assertCrcMatches(resp);
      JsonObject seen = new JsonObject(resp.body());
      assertEquals("127.0.0.1:" + echoProxy.port(), seen.getString("host"));
      assertEquals(DynamoHttp.AUTHORIZATION, seen.getString("authorization"));
      assertEquals(DynamoHttp.AMZ_DATE, seen.getString("x-amz-date"));
      assertEquals("DynamoDB_20120810.DescribeTable", seen.getString("x-amz-target"));
      assertEquals("/", seen.getString("uri"));
      assertEquals(body.encode(), seen.getString("body"));
    } finally {
      echo.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void unreachableTargetClosesTheClientConnection() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      deadPort = s.getLocalPort();
    }
    try (DynamoFaultProxy deadProxy =
        DynamoFaultProxy.start(vertx, "127.0.0.1", deadPort).await(10, TimeUnit.SECONDS)) {
      DynamoHttp client = new DynamoHttp(deadProxy.endpoint());
      assertThrows(
          IOException.class, () -> client.call("BatchWriteItem", DynamoHttp.batchPut("t", 2)));
      assertThrows(IOException.class, () -> client.call("ListTables", new JsonObject()));
    }
  }

  @Test
  void resetReleasesHeldRequestsAndClearsFaults() throws Exception {
    proxy.holdBatchWrites();
    proxy.injectThrottling(5);
    CompletableFuture<HttpResponse<String>> pending =
        viaProxy.callAsync("BatchWriteItem", DynamoHttp.batchPut(table, 2));
    awaitCondition(() -> proxy.heldCount() == 1, Duration.ofSeconds(10));

    proxy.reset();

    assertEquals(200, pending.get(10, TimeUnit.SECONDS).statusCode());
    assertEquals(2, direct.count(table));
    assertFalse(proxy.heldCount() > 0);
  }

  // ---------------------------------------------------------------------------------------------

  private static String itemId(JsonObject writeRequest) {
    return writeRequest
        .getJsonObject("PutRequest")
        .getJsonObject("Item")
        .getJsonObject("id")
        .getString("S");
  }

  /** The AWS SDK rejects responses whose x-amz-crc32 does not match the body. */
  private static void assertCrcMatches(HttpResponse<String> resp) {
    String header = resp.headers().firstValue("x-amz-crc32").orElse(null);
    assertEquals(DynamoFaultProxy.crc32(Buffer.buffer(resp.body())), header);
  }

  private static void awaitCondition(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }
}
