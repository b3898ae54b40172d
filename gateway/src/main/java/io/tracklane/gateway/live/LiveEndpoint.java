package io.tracklane.gateway.live;

import io.tracklane.core.auth.Principal;
import io.tracklane.core.auth.TokenRejected;
import io.tracklane.gateway.auth.JwksVerifier;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live stream on the gateway's HTTP server:
 *
 * <ul>
 *   <li>{@code GET /v1/live}: Server-Sent Events, one {@code data: <json>} message per event;
 *   <li>{@code GET /v1/live/ws}: WebSocket, one text message per event.
 * </ul>
 *
 * <p>The access token comes from {@code Authorization: Bearer} or, for browsers (EventSource and
 * WebSocket cannot set headers), from {@code ?access_token=}. Managers and admins see every task; a
 * rider sees only events whose rider is the token's subject (their filter is narrowed to that
 * rider, so a {@code taskId} of someone else's task simply yields nothing, and a {@code riderId}
 * other than their own is refused with 403). No or a bad token 401, another role 403. The stream
 * ends when the token expires; the client reconnects with a fresh one. Filters: {@code
 * ?taskId=a,b&riderId=x}.
 */
public final class LiveEndpoint {
  private static final Logger log = LoggerFactory.getLogger(LiveEndpoint.class);
  private static final Buffer HEARTBEAT = Buffer.buffer(": heartbeat\n\n");
  private static final AtomicLong IDS = new AtomicLong();

  private final Vertx vertx;
  private final JwksVerifier verifier;
  private final LiveHub hub;

  public LiveEndpoint(Vertx vertx, JwksVerifier verifier, LiveHub hub) {
    this.vertx = vertx;
    this.verifier = verifier;
    this.hub = hub;
  }

  public void mount(Router router) {
    router.get("/v1/live").handler(this::sse);
    router.get("/v1/live/ws").handler(this::webSocket);
  }

  private record Caller(Principal who, LiveFilter filter, long expiresAtMs) {}

  private void sse(RoutingContext ctx) {
    authorize(
        ctx,
        caller -> {
          HttpServerResponse res = ctx.response();
          res.setChunked(true)
              .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
              .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
              // no compression (it would hold events back) and no buffering by nginx-style proxies
              .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
              .putHeader("X-Accel-Buffering", "no");
          res.write(Buffer.buffer(": tracklane live stream\n\n"));
          String id = "sse-" + IDS.incrementAndGet() + "/" + caller.who().subject();
          LiveClient client =
              hub.attach(
                  id,
                  caller.filter(),
                  new LiveClient.Transport() {
                    @Override
                    public boolean writeQueueFull() {
                      return res.writeQueueFull();
                    }

                    @Override
                    public void onDrain(Runnable drained) {
                      res.drainHandler(
                          v -> {
                            res.drainHandler(null);
                            drained.run();
                          });
                    }

                    @Override
                    public void write(LiveEvent event) {
                      res.write(event.sseFrame());
                    }

                    @Override
                    public void heartbeat() {
                      res.write(HEARTBEAT);
                    }

                    @Override
                    public void close(String reason, boolean abrupt) {
                      if (abrupt) {
                        ctx.request().connection().close();
                      } else if (!res.ended()) {
                        res.end();
                      }
                    }
                  });
          res.closeHandler(v -> client.connectionClosed());
          res.exceptionHandler(err -> client.connectionClosed());
          expireWith(caller, client);
        });
  }

  private void webSocket(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    req.pause();
    authorize(
        ctx,
        caller ->
            req.toWebSocket()
                .onComplete(
                    ar -> {
                      if (ar.failed()) {
                        log.debug("live: WebSocket upgrade failed: {}", ar.cause().getMessage());
                        if (!ctx.response().ended())
                          error(ctx, 400, "websocket_required", "connect with a WebSocket upgrade");
                        return;
                      }
                      ServerWebSocket ws = ar.result();
                      String id = "ws-" + IDS.incrementAndGet() + "/" + caller.who().subject();
                      LiveClient client =
                          hub.attach(
                              id,
                              caller.filter(),
                              new LiveClient.Transport() {
                                @Override
                                public boolean writeQueueFull() {
                                  return ws.writeQueueFull();
                                }

                                @Override
                                public void onDrain(Runnable drained) {
                                  ws.drainHandler(
                                      v -> {
                                        ws.drainHandler(null);
                                        drained.run();
                                      });
                                }

                                @Override
                                public void write(LiveEvent event) {
                                  ws.writeTextMessage(event.json);
                                }

                                @Override
                                public void heartbeat() {
                                  ws.writePing(Buffer.buffer("heartbeat"));
                                }

                                @Override
                                public void close(String reason, boolean abrupt) {
                                  if (abrupt) {
                                    ws.close((short) 1008, truncate(reason)).onComplete(x -> {});
                                    // a stuck client would never read the close frame: drop the
                                    // connection outright
                                    ctx.request().connection().close();
                                  } else {
                                    ws.close((short) 1001, truncate(reason)).onComplete(x -> {});
                                  }
                                }
                              });
                      ws.handler(b -> {}); // nothing is expected from the client
                      ws.closeHandler(v -> client.connectionClosed());
                      ws.exceptionHandler(err -> client.connectionClosed());
                      expireWith(caller, client);
                    }),
        req::resume);
  }

  /** Checks token and role and parses the filters; answers 400/401/403 itself. */
  private void authorize(RoutingContext ctx, Consumer<Caller> then) {
    authorize(ctx, then, () -> {});
  }

  private void authorize(RoutingContext ctx, Consumer<Caller> then, Runnable beforeRefusal) {
    String token = tokenOf(ctx.request());
    if (token == null) {
      beforeRefusal.run();
      unauthorized(
          ctx, "send Authorization: Bearer <access token> or ?access_token=<access token>");
      return;
    }
    LiveFilter filter;
    try {
      filter = LiveFilter.parse(ctx.queryParam("taskId"), ctx.queryParam("riderId"));
    } catch (IllegalArgumentException e) {
      beforeRefusal.run();
      error(ctx, 400, "invalid_filter", e.getMessage());
      return;
    }
    verifier
        .verify(token)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                beforeRefusal.run();
                if (ar.cause() instanceof TokenRejected t) {
                  unauthorized(ctx, t.getMessage());
                } else {
                  ctx.fail(ar.cause());
                }
                return;
              }
              Principal who = ar.result();
              LiveFilter allowed;
              if (Principal.MANAGER.equals(who.role()) || Principal.ADMIN.equals(who.role())) {
                allowed = filter;
              } else if (Principal.RIDER.equals(who.role())) {
                if (!filter.riderIds().isEmpty()
                    && !filter.riderIds().equals(Set.of(who.subject()))) {
                  beforeRefusal.run();
                  error(
                      ctx,
                      403,
                      "forbidden",
                      "a rider's live stream carries only their own tasks; riderId must be absent or '"
                          + who.subject()
                          + "'");
                  return;
                }
                allowed = filter.onlyRider(who.subject());
              } else {
                beforeRefusal.run();
                error(
                    ctx,
                    403,
                    "forbidden",
                    "the live stream is for managers, admins and riders; this token's role is '"
                        + who.role()
                        + "'");
                return;
              }
              try {
                then.accept(new Caller(who, allowed, expiryOf(token)));
              } catch (RuntimeException e) {
                log.warn("live: could not open a stream for {}: {}", who.subject(), e.toString());
                if (!ctx.response().headWritten()) {
                  ctx.fail(e);
                } else {
                  ctx.request().connection().close();
                }
              }
            });
  }

  /** Ends the stream when the token expires (the client reconnects with a fresh token). */
  private void expireWith(Caller caller, LiveClient client) {
    if (caller.expiresAtMs() <= 0 || client.isClosed()) return;
    long delay = Math.max(1, caller.expiresAtMs() - System.currentTimeMillis());
    long timer = vertx.setTimer(delay, id -> client.shut("access token expired", false));
    client.onClose(() -> vertx.cancelTimer(timer));
  }

  static String tokenOf(HttpServerRequest req) {
    String auth = req.getHeader(HttpHeaders.AUTHORIZATION);
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String t = auth.substring(7).trim();
      return t.isEmpty() ? null : t;
    }
    String q = req.getParam("access_token");
    return q == null || q.isBlank() ? null : q.trim();
  }

  /** The {@code exp} claim (ms) of an already verified JWT; 0 if it cannot be read. */
  static long expiryOf(String jwt) {
    try {
      String[] parts = jwt.split("\\.");
      JsonObject claims =
          new JsonObject(
              new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      Number exp = claims.getNumber("exp");
      return exp == null ? 0 : exp.longValue() * 1000L;
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static String truncate(String reason) {
    // a close frame's reason is at most 123 bytes
    return reason.length() > 100 ? reason.substring(0, 100) : reason;
  }

  private static void unauthorized(RoutingContext ctx, String message) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    error(ctx, 401, "unauthorized", message);
  }

  private static void error(RoutingContext ctx, int status, String code, String message) {
    if (ctx.response().ended()) return;
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", code).put("message", message).encode());
  }
}
