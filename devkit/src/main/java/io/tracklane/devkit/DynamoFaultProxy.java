package io.tracklane.devkit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP reverse proxy between a DynamoDB client (AWS SDK v2, JSON protocol) and a
 * DynamoDB-compatible target such as {@link Dynalite}, injecting faults into {@code BatchWriteItem}
 * calls for tests. All other operations pass through untouched.
 *
 * <p>Pass-through is verbatim: method, URI, status line, body and headers (including Host,
 * Authorization, X-Amz-Date, x-amz-crc32), except hop-by-hop headers and Content-Length, which
 * Vert.x sets for the whole body. Bodies are read whole (DynamoDB requests are at most 16 MB).
 *
 * <p>Every response whose body the proxy changes or makes up carries a recomputed {@code
 * x-amz-crc32}: the AWS SDK v2 checks that header for DynamoDB and would reject a stale one.
 *
 * <p>If the target cannot be reached, the proxy closes the client's connection without answering,
 * which is how an unreachable DynamoDB looks to the SDK (an IOException it may retry) rather than a
 * 502, which no real DynamoDB endpoint returns.
 *
 * <p>Fault setters are thread-safe and may be called from any thread while requests flow. Faults
 * are checked in this order: hold, throttling, server errors, unprocessed items, delay.
 */
public final class DynamoFaultProxy implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DynamoFaultProxy.class);

  static final String BATCH_WRITE_ITEM = "DynamoDB_20120810.BatchWriteItem";
  private static final String AMZ_JSON = "application/x-amz-json-1.0";
  private static final String THROTTLING_BODY =
      "{\"__type\":\"com.amazonaws.dynamodb.v20120810"
          + "#ProvisionedThroughputExceededException\",\"message\":\"injected throttling\"}";
  private static final String SERVER_ERROR_BODY =
      "{\"__type\":\"com.amazonaws.dynamodb.v20120810"
          + "#InternalServerError\",\"message\":\"injected 500\"}";

  /** What DynamoDB answers for a whole batch when one item holds a number it cannot store. */
  private static final String VALIDATION_BODY =
      "{\"__type\":\"com.amazon.coral.validate#ValidationException\","
          + "\"message\":\"One or more parameter values were invalid: Number underflow. Attempting to store a number "
          + "with magnitude smaller than supported range (injected)\"}";

  /** Connection-scoped headers (RFC 9110 7.6.1) plus the ones Vert.x recomputes for us. */
  private static final Set<String> NOT_FORWARDED =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "te",
          "trailer",
          "upgrade",
          "content-length",
          "expect");

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final SocketAddress target;
  private final HttpClient client;
  private HttpServer server;

  private final AtomicInteger unprocessedRemaining = new AtomicInteger();
  private final AtomicInteger throttlingRemaining = new AtomicInteger();
  private final AtomicInteger serverErrorsRemaining = new AtomicInteger();
  private volatile Duration delay = Duration.ZERO;
  private final Set<String> refusedTasks = ConcurrentHashMap.newKeySet();

  private final Object holdLock = new Object();
  private boolean holding;
  private final List<Exchange> held = new ArrayList<>();

  private final AtomicInteger batchWriteRequests = new AtomicInteger();
  private final AtomicInteger batchWriteItemsForwarded = new AtomicInteger();
  private final AtomicInteger faultsInjected = new AtomicInteger();

  /** One client request with its fully read body and the context it arrived on. */
  private record Exchange(Context context, HttpServerRequest request, Buffer body) {}

  /** A target response with its fully read body. */
  private record Reply(int status, String statusMessage, MultiMap headers, Buffer body) {}

  private DynamoFaultProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.target = SocketAddress.inetSocketAddress(targetPort, targetHost);
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                // Keep bodies byte-for-byte; never ask for or unpack compression ourselves.
                .setDecompressionSupported(false)
                // Below dynalite's 5 s keep-alive, so we never reuse a socket it is about to close.
                .setKeepAliveTimeout(2),
            // Held requests are released together; don't serialise them behind a small pool.
            new PoolOptions().setHttp1MaxSize(64));
  }

  /** Starts a proxy on 127.0.0.1 (free port) forwarding to {@code targetHost:targetPort}. */
  public static Future<DynamoFaultProxy> start(Vertx vertx, String targetHost, int targetPort) {
    DynamoFaultProxy proxy = new DynamoFaultProxy(vertx, targetHost, targetPort);
    return vertx
        .createHttpServer(
            new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(0)
                .setHandle100ContinueAutomatically(true))
        .requestHandler(proxy::handle)
        .listen()
        .map(
            s -> {
              proxy.server = s;
              LOG.info("DynamoFaultProxy on {} -> {}", proxy.endpoint(), proxy.target);
              return proxy;
            })
        .recover(
            err -> proxy.client.close().transform(v -> Future.<DynamoFaultProxy>failedFuture(err)));
  }

  public int port() {
    return server.actualPort();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  // ---------------------------------------------------------------------------------------------
  // Faults
  // ---------------------------------------------------------------------------------------------

  /**
   * Queues BatchWriteItem requests unanswered (not forwarded) until {@link #releaseBatchWrites}.
   */
  public void holdBatchWrites() {
    synchronized (holdLock) {
      holding = true;
    }
  }

  /** Forwards every queued BatchWriteItem request (through the other faults) and stops holding. */
  public void releaseBatchWrites() {
    List<Exchange> toRun;
    synchronized (holdLock) {
      holding = false;
      toRun = new ArrayList<>(held);
      held.clear();
    }
    for (Exchange ex : toRun) {
      ex.context().runOnContext(v -> applyFaults(ex));
    }
  }

  /** Number of BatchWriteItem requests currently held. */
  public int heldCount() {
    synchronized (holdLock) {
      return held.size();
    }
  }

  /**
   * For the next {@code times} BatchWriteItem requests, forwards only the first half of the write
   * requests (rounded down) and returns the rest as {@code UnprocessedItems}, like DynamoDB under
   * throttling. A single-item batch is not forwarded at all.
   */
  public void injectUnprocessed(int times) {
    unprocessedRemaining.set(requireNonNegative(times));
  }

  /**
   * Answers the next {@code times} BatchWriteItem requests with 400 ProvisionedThroughputExceeded.
   */
  public void injectThrottling(int times) {
    throttlingRemaining.set(requireNonNegative(times));
  }

  /** Answers the next {@code times} BatchWriteItem requests with 500 InternalServerError. */
  public void injectServerErrors(int times) {
    serverErrorsRemaining.set(requireNonNegative(times));
  }

  /** Delays forwarding of each BatchWriteItem request; {@link Duration#ZERO} turns it off. */
  public void delayBatchWrites(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("negative delay: " + d);
    }
    delay = d;
  }

  /**
   * Answers every BatchWriteItem that holds an item of {@code taskId} with 400 ValidationException,
   * refusing the whole batch as DynamoDB does for one unstorable value. Until {@link #reset}.
   */
  public void refuseBatchesWithTask(String taskId) {
    refusedTasks.add(taskId);
  }

  /** Clears all faults and releases held requests. Counters are kept. */
  public void reset() {
    refusedTasks.clear();
    unprocessedRemaining.set(0);
    throttlingRemaining.set(0);
    serverErrorsRemaining.set(0);
    delay = Duration.ZERO;
    releaseBatchWrites();
  }

  /** BatchWriteItem requests received (including held and faulted ones). */
  public int batchWriteRequests() {
    return batchWriteRequests.get();
  }

  /** Write requests (Put/Delete entries) inside BatchWriteItem calls sent on to the target. */
  public int batchWriteItemsForwarded() {
    return batchWriteItemsForwarded.get();
  }

  /** Requests answered with injected throttling, server error or unprocessed items. */
  public int faultsInjected() {
    return faultsInjected.get();
  }

  // ---------------------------------------------------------------------------------------------
  // Lifecycle
  // ---------------------------------------------------------------------------------------------

  /** Stops listening, drops held requests and closes the client. Does not close {@code vertx}. */
  public Future<Void> closeAsync() {
    List<Exchange> dropped;
    synchronized (holdLock) {
      holding = false;
      dropped = new ArrayList<>(held);
      held.clear();
    }
    for (Exchange ex : dropped) {
      ex.context().runOnContext(v -> ex.request().connection().close());
    }
    Future<Void> serverClosed = server == null ? Future.succeededFuture() : server.close();
    return serverClosed.eventually(client::close);
  }

  /** Blocking {@link #closeAsync()} (non-blocking when called on an event loop). */
  @Override
  public void close() {
    Future<Void> f = closeAsync();
    if (Context.isOnEventLoopThread()) {
      return;
    }
    try {
      f.await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      LOG.warn("DynamoFaultProxy did not close within 10 s");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Request flow
  // ---------------------------------------------------------------------------------------------

  private void handle(HttpServerRequest req) {
    Context ctx = vertx.getOrCreateContext();
    req.body()
        .onSuccess(body -> dispatch(new Exchange(ctx, req, body)))
        .onFailure(
            err -> {
              LOG.debug("Could not read request body", err);
              req.connection().close();
            });
  }

  private void dispatch(Exchange ex) {
    if (!BATCH_WRITE_ITEM.equals(ex.request().getHeader("X-Amz-Target"))) {
      forward(ex, ex.body(), false).onSuccess(reply -> relay(ex, reply));
      return;
    }
    batchWriteRequests.incrementAndGet();
    synchronized (holdLock) {
      if (holding) {
        held.add(ex);
        return;
      }
    }
    applyFaults(ex);
  }

  private void applyFaults(Exchange ex) {
    if (!refusedTasks.isEmpty() && holdsRefusedTask(ex)) {
      faultsInjected.incrementAndGet();
      respond(ex, 400, "Bad Request", null, Buffer.buffer(VALIDATION_BODY), contentTypeFor(ex));
      return;
    }
    if (tryConsume(throttlingRemaining)) {
      faultsInjected.incrementAndGet();
      respond(ex, 400, "Bad Request", null, Buffer.buffer(THROTTLING_BODY), contentTypeFor(ex));
      return;
    }
    if (tryConsume(serverErrorsRemaining)) {
      faultsInjected.incrementAndGet();
      respond(
          ex,
          500,
          "Internal Server Error",
          null,
          Buffer.buffer(SERVER_ERROR_BODY),
          contentTypeFor(ex));
      return;
    }
    boolean split = tryConsume(unprocessedRemaining);
    Runnable next = split ? () -> forwardHalf(ex) : () -> forwardBatch(ex);
    long delayMs = delay.toMillis();
    if (delayMs > 0) {
      vertx.setTimer(delayMs, id -> next.run());
    } else {
      next.run();
    }
  }

  private void forwardBatch(Exchange ex) {
    JsonObject json = parseOrNull(ex.body());
    JsonObject items = json == null ? null : json.getJsonObject("RequestItems");
    batchWriteItemsForwarded.addAndGet(items == null ? 0 : flatten(items).size());
    forward(ex, ex.body(), false).onSuccess(reply -> relay(ex, reply));
  }

  /** The unprocessed-items fault: forward the first half, report the second half unprocessed. */
  private void forwardHalf(Exchange ex) {
    JsonObject request = parseOrNull(ex.body());
    JsonObject items = request == null ? null : request.getJsonObject("RequestItems");
    if (items == null) {
      LOG.warn("injectUnprocessed: request is not a BatchWriteItem JSON body; forwarding as is");
      forwardBatch(ex);
      return;
    }
    List<Map.Entry<String, Object>> all = flatten(items);
    int keep = all.size() / 2;
    JsonObject unprocessed = group(all.subList(keep, all.size()));
    faultsInjected.incrementAndGet();
    if (keep == 0) {
      // Nothing left to send: answer as DynamoDB would, without touching the target.
      Buffer body = new JsonObject().put("UnprocessedItems", unprocessed).toBuffer();
      respond(ex, 200, "OK", null, body, contentTypeFor(ex));
      return;
    }
    Buffer body = request.copy().put("RequestItems", group(all.subList(0, keep))).toBuffer();
    batchWriteItemsForwarded.addAndGet(keep);
    // Ask for an identity-encoded answer, since we are going to edit it.
    forward(ex, body, true)
        .onSuccess(
            reply -> {
              JsonObject answer = reply.status() == 200 ? parseOrNull(reply.body()) : null;
              if (answer == null) {
                relay(ex, reply); // a target error is passed on as is
                return;
              }
              JsonObject merged = answer.getJsonObject("UnprocessedItems", new JsonObject()).copy();
              for (String table : unprocessed.fieldNames()) {
                JsonArray list = merged.getJsonArray(table, new JsonArray()).copy();
                list.addAll(unprocessed.getJsonArray(table));
                merged.put(table, list);
              }
              answer.put("UnprocessedItems", merged);
              respond(
                  ex,
                  reply.status(),
                  reply.statusMessage(),
                  reply.headers(),
                  answer.toBuffer(),
                  null);
            });
  }

  /**
   * Sends the request on to the target. On failure (e.g. connection refused) the client connection
   * is closed without a response, and the returned future fails.
   */
  private Future<Reply> forward(Exchange ex, Buffer body, boolean identityEncoding) {
    HttpServerRequest req = ex.request();
    MultiMap headers = HttpHeaders.headers();
    for (Map.Entry<String, String> h : req.headers()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (NOT_FORWARDED.contains(name) || (identityEncoding && name.equals("accept-encoding"))) {
        continue;
      }
      headers.add(h.getKey(), h.getValue());
    }
    // The Host header from `headers` wins over host/port here, so the target sees it as sent.
    RequestOptions options =
        new RequestOptions()
            .setServer(target)
            .setHost(target.host())
            .setPort(target.port())
            .setMethod(req.method())
            .setURI(req.uri())
            .setHeaders(headers);
    return client
        .request(options)
        .compose(out -> out.send(body))
        .compose(
            resp ->
                resp.body()
                    .map(
                        b -> new Reply(resp.statusCode(), resp.statusMessage(), resp.headers(), b)))
        .onFailure(
            err -> {
              LOG.debug(
                  "Target {} failed for {}; closing the client connection",
                  target,
                  req.getHeader("X-Amz-Target"),
                  err);
              req.connection().close();
            });
  }

  /** Sends the target's answer back unchanged. */
  private static void relay(Exchange ex, Reply reply) {
    HttpServerResponse resp = ex.request().response();
    if (resp.closed()) {
      return;
    }
    resp.setStatusCode(reply.status()).setStatusMessage(reply.statusMessage());
    copyHeaders(reply.headers(), resp.headers());
    resp.end(reply.body());
  }

  /**
   * Sends a made-up or modified answer: the given headers (if any) with a fresh x-amz-crc32, and
   * with defaults for content type and request id when there are no target headers to reuse.
   */
  private static void respond(
      Exchange ex,
      int status,
      String message,
      MultiMap baseHeaders,
      Buffer body,
      String contentType) {
    HttpServerResponse resp = ex.request().response();
    if (resp.closed()) {
      return;
    }
    resp.setStatusCode(status).setStatusMessage(message);
    if (baseHeaders != null) {
      copyHeaders(baseHeaders, resp.headers());
    } else {
      resp.putHeader("x-amzn-RequestId", requestId());
    }
    if (contentType != null) {
      resp.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    }
    resp.headers().remove("x-amz-crc32");
    resp.putHeader("x-amz-crc32", crc32(body));
    resp.end(body);
  }

  private static void copyHeaders(MultiMap from, MultiMap to) {
    for (Map.Entry<String, String> h : from) {
      if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        to.add(h.getKey(), h.getValue());
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  private boolean holdsRefusedTask(Exchange ex) {
    JsonObject json = parseOrNull(ex.body());
    JsonObject items = json == null ? null : json.getJsonObject("RequestItems");
    if (items == null) return false;
    for (Map.Entry<String, Object> e : flatten(items)) {
      JsonObject put = e.getValue() instanceof JsonObject w ? w.getJsonObject("PutRequest") : null;
      JsonObject item = put == null ? null : put.getJsonObject("Item");
      JsonObject task = item == null ? null : item.getJsonObject("taskId");
      if (task != null && refusedTasks.contains(task.getString("S"))) return true;
    }
    return false;
  }

  /** DynamoDB answers in the JSON flavour the client used. */
  private static String contentTypeFor(Exchange ex) {
    String ct = ex.request().getHeader(HttpHeaders.CONTENT_TYPE);
    return ct != null && ct.startsWith("application/json") ? "application/json" : AMZ_JSON;
  }

  /** (table, write request) pairs in request order, across all tables. */
  private static List<Map.Entry<String, Object>> flatten(JsonObject requestItems) {
    List<Map.Entry<String, Object>> all = new ArrayList<>();
    for (String table : requestItems.fieldNames()) {
      Object value = requestItems.getValue(table);
      if (value instanceof JsonArray array) {
        for (Object writeRequest : array) {
          all.add(Map.entry(table, writeRequest));
        }
      }
    }
    return all;
  }

  private static JsonObject group(List<Map.Entry<String, Object>> entries) {
    JsonObject byTable = new JsonObject();
    for (Map.Entry<String, Object> e : entries) {
      JsonArray list = byTable.getJsonArray(e.getKey());
      if (list == null) {
        list = new JsonArray();
        byTable.put(e.getKey(), list);
      }
      list.add(e.getValue());
    }
    return byTable;
  }

  private static JsonObject parseOrNull(Buffer body) {
    try {
      return body.length() == 0 ? null : new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  /** Decrements if positive; true if a fault was taken. */
  private static boolean tryConsume(AtomicInteger remaining) {
    while (true) {
      int n = remaining.get();
      if (n <= 0) {
        return false;
      }
      if (remaining.compareAndSet(n, n - 1)) {
        return true;
      }
    }
  }

  private static int requireNonNegative(int times) {
    if (times < 0) {
      throw new IllegalArgumentException("times must be >= 0: " + times);
    }
    return times;
  }

  /** Unsigned CRC32 in decimal, as DynamoDB sends it. */
  static String crc32(Buffer body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes());
    return Long.toString(crc.getValue());
  }

  private static String requestId() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    StringBuilder sb = new StringBuilder(52);
    for (int i = 0; i < 52; i++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
