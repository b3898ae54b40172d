package io.tracklane.gateway.live;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test client of the live stream, over SSE or WebSocket (Vert.x clients): collects every event,
 * and lets a test wait for events in order, with deadlines.
 */
public final class StreamClient implements AutoCloseable {
  /** Where every test client runs (their connections are bound to it). */
  private static final io.vertx.core.Context CONTEXT =
      io.tracklane.gateway.it.GatewayHarness.testVertx().getOrCreateContext();

  private final List<JsonObject> events = new ArrayList<>();
  private final StringBuilder pending = new StringBuilder();
  private int cursor;
  private volatile boolean ended;
  private Runnable closer = () -> {};
  final java.util.concurrent.atomic.AtomicInteger heartbeats =
      new java.util.concurrent.atomic.AtomicInteger();
  public int status;
  public String contentType;
  public String body;

  /** {@code GET path} as SSE; {@code bearer} null = no Authorization header. */
  public static StreamClient sse(HttpClient http, int port, String path, String bearer)
      throws Exception {
    StreamClient c = new StreamClient();
    RequestOptions o =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI(path);
    if (bearer != null) o.putHeader("Authorization", "Bearer " + bearer);
    Promise<Void> headers = Promise.promise();
    // request, connection and response handlers all on one event loop: set before any data is
    // handled
    CONTEXT.runOnContext(
        v ->
            http.request(o)
                .compose(req -> req.send())
                .onComplete(
                    ar -> {
                      if (ar.failed()) {
                        headers.fail(ar.cause());
                        return;
                      }
                      HttpClientResponse res = ar.result();
                      c.status = res.statusCode();
                      c.contentType = res.getHeader("Content-Type");
                      if (res.statusCode() != 200) {
                        res.body()
                            .onComplete(
                                b -> {
                                  c.body = b.succeeded() ? b.result().toString() : null;
                                  c.ended = true;
                                  headers.complete();
                                });
                        return;
                      }
                      c.closer = () -> res.request().connection().close();
                      res.handler(c::onSse);
                      res.endHandler(x -> c.markEnded());
                      res.exceptionHandler(err -> c.markEnded());
                      headers.complete();
                    }));
    try {
      headers.future().await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(
          "no response to GET "
              + path.replaceAll("access_token=[^&]*", "access_token=…")
              + (bearer == null ? "" : " (with a bearer token)")
              + " within 30 s",
          e);
    }
    return c;
  }

  /** A WebSocket to {@code path}; {@code status} is the HTTP status of a refused upgrade. */
  static StreamClient webSocket(WebSocketClient ws, int port, String path, String bearer)
      throws Exception {
    StreamClient c = new StreamClient();
    WebSocketConnectOptions o =
        new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path);
    if (bearer != null) o.addHeader("Authorization", "Bearer " + bearer);
    Promise<Void> opened = Promise.promise();
    CONTEXT.runOnContext(
        v ->
            ws.connect(o)
                .map(
                    socket -> {
                      c.status = 101;
                      c.closer = () -> socket.close();
                      socket.textMessageHandler(t -> c.add(new JsonObject(t)));
                      socket.closeHandler(x -> c.markEnded());
                      return (Void) null;
                    })
                .recover(
                    err -> {
                      if (err instanceof io.vertx.core.http.UpgradeRejectedException r) {
                        c.status = r.getStatus();
                        c.body = r.getBody() == null ? null : r.getBody().toString();
                        c.ended = true;
                        return Future.succeededFuture();
                      }
                      return Future.<Void>failedFuture(err);
                    })
                .onComplete(opened));
    opened.future().await(30, TimeUnit.SECONDS);
    return c;
  }

  private void onSse(Buffer chunk) {
    pending.append(chunk.toString(StandardCharsets.UTF_8));
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String block = pending.substring(0, end);
      pending.delete(0, end + 2);
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("data: ")) data.append(line.substring(6));
        if (line.startsWith(": heartbeat")) heartbeats.incrementAndGet();
      }
      if (data.length() > 0) add(new JsonObject(data.toString()));
    }
  }

  private synchronized void add(JsonObject e) {
    events.add(e);
    notifyAll();
  }

  /** Every event so far. */
  public synchronized List<JsonObject> events() {
    return List.copyOf(events);
  }

  synchronized List<JsonObject> events(String type) {
    return events.stream().filter(e -> type.equals(e.getString("event"))).toList();
  }

  boolean ended() {
    return ended;
  }

  private synchronized void markEnded() {
    ended = true;
    notifyAll();
  }

  /** Waits until the stream has ended; false if it has not within {@code timeout}. */
  public synchronized boolean awaitEnd(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ended) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return false;
      wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    }
    return true;
  }

  /**
   * The next event after the previous {@code next} match that satisfies {@code p}; fails after the
   * timeout.
   */
  JsonObject next(Predicate<JsonObject> p, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      int scanned = cursor;
      while (true) {
        for (; scanned < events.size(); scanned++) {
          if (p.test(events.get(scanned))) {
            cursor = scanned + 1;
            return events.get(scanned);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0)
          throw new AssertionError("no " + what + " within " + timeout + "; got " + events);
        // woken by every new event
        wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }

  public JsonObject next(String type, String taskId) throws InterruptedException {
    return next(
        e ->
            type.equals(e.getString("event"))
                && (taskId == null || taskId.equals(e.getString("taskId"))),
        Duration.ofSeconds(15),
        type + " of " + taskId);
  }

  /** Reads a gateway's state on its own event loop. */
  static <T> T onGateway(
      io.tracklane.gateway.it.GatewayHarness h, java.util.function.Supplier<T> read) {
    try {
      return h.gateway.onEventLoop(read).await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    closer.run();
  }
}
