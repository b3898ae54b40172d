package io.tracklane.gateway.offers;

import io.tracklane.core.auth.Principal;
import io.tracklane.core.auth.TokenRejected;
import io.tracklane.core.auth.VerifiedToken;
import io.tracklane.gateway.auth.Authenticator;
import io.tracklane.gateway.auth.UserCheckFailed;
import io.tracklane.gateway.auth.UserDeactivated;
import io.tracklane.gateway.http.ErrorResponses;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/offers}: the riders' task offers as Server-Sent Events, one {@code data: <json>}
 * message per event (the snapshot of open tasks first). The token comes from {@code Authorization:
 * Bearer} or, for {@code EventSource}, {@code ?access_token=}, and passes the same check as an MQTT
 * CONNECT ({@link Authenticator}: valid token of an active user). Riders only: no or a bad token
 * 401, another role 403 (staff list tasks through the back office), a deactivated user 403, a user
 * check that failed 503. The stream ends when the token expires or the user is deactivated.
 */
public final class OffersEndpoint {
  public static final String PATH = "/v1/offers";
  private static final Buffer HEARTBEAT = Buffer.buffer(": heartbeat\n\n");

  private final Vertx vertx;
  private final Authenticator auth;
  private final OffersHub hub;
  private final long heartbeatMs;

  public OffersEndpoint(Vertx vertx, Authenticator auth, OffersHub hub, long heartbeatMs) {
    this.vertx = vertx;
    this.auth = auth;
    this.hub = hub;
    this.heartbeatMs = heartbeatMs;
  }

  public void mount(Router router) {
    router.get(PATH).handler(this::sse);
  }

  private void sse(RoutingContext ctx) {
    String token = tokenOf(ctx.request());
    if (token == null) {
      unauthorized(
          ctx, "send Authorization: Bearer <access token> or ?access_token=<access token>");
      return;
    }
    auth.authenticate(token)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                refuse(ctx, ar.cause());
                return;
              }
              VerifiedToken t = ar.result();
              Principal who = t.principal();
              if (!who.isRider()) {
                ErrorResponses.error(
                    ctx,
                    403,
                    "forbidden",
                    "offers are for riders; this token's role is '"
                        + who.role()
                        + "' (staff list tasks with GET /tasks)");
                return;
              }
              if (t.expiresAtMs() <= System.currentTimeMillis()) {
                unauthorized(ctx, "token expired");
                return;
              }
              open(ctx, who.subject(), t.expiresAtMs());
            });
  }

  private void open(RoutingContext ctx, String riderId, long expiresAtMs) {
    HttpServerResponse res = ctx.response();
    res.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
        .putHeader("X-Accel-Buffering", "no");
    res.write(Buffer.buffer(": tracklane offers\n\n"));
    OfferStream stream =
        hub.subscribe(
            riderId,
            "sse",
            new OfferStream.Transport() {
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
              public void write(JsonObject event) {
                res.write(Buffer.buffer("data: " + event.encode() + "\n\n"));
              }

              @Override
              public void close(String reason, boolean tooSlow) {
                if (tooSlow) {
                  ctx.request().connection().close();
                } else if (!res.ended()) {
                  res.end();
                }
              }
            });
    long heartbeat =
        vertx.setPeriodic(
            heartbeatMs,
            id -> {
              if (!stream.isClosed() && stream.queued() == 0 && !res.writeQueueFull())
                res.write(HEARTBEAT);
            });
    long expiry =
        vertx.setTimer(
            Math.max(1, expiresAtMs - System.currentTimeMillis()),
            id -> stream.shut("access token expired", false));
    Runnable gone =
        () -> {
          vertx.cancelTimer(heartbeat);
          vertx.cancelTimer(expiry);
          stream.cancel();
        };
    res.closeHandler(v -> gone.run());
    res.exceptionHandler(err -> gone.run());
    res.endHandler(v -> gone.run());
  }

  private static void refuse(RoutingContext ctx, Throwable cause) {
    if (cause instanceof TokenRejected t) {
      unauthorized(ctx, t.getMessage());
    } else if (cause instanceof UserDeactivated d) {
      ErrorResponses.error(ctx, 403, "user_deactivated", d.getMessage());
    } else if (cause instanceof UserCheckFailed f) {
      ctx.response().putHeader("Retry-After", "5");
      ErrorResponses.error(ctx, 503, "user_check_failed", f.getMessage());
    } else {
      ctx.fail(cause);
    }
  }

  static String tokenOf(HttpServerRequest req) {
    String header = req.getHeader(HttpHeaders.AUTHORIZATION);
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String t = header.substring(7).trim();
      return t.isEmpty() ? null : t;
    }
    String q = req.getParam("access_token");
    return q == null || q.isBlank() ? null : q.trim();
  }

  private static void unauthorized(RoutingContext ctx, String message) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    ErrorResponses.error(ctx, 401, "unauthorized", message);
  }
}
