package io.tracklane.gateway.http;

import io.tracklane.core.fix.FixError;
import io.tracklane.core.fix.FixJson;
import io.tracklane.gateway.access.Device;
import io.tracklane.gateway.auth.UserCheckFailed;
import io.tracklane.gateway.auth.UserDeactivated;
import io.tracklane.gateway.device.DecodedFix;
import io.tracklane.gateway.device.DeviceAuth;
import io.tracklane.gateway.device.DeviceFixIngest;
import io.tracklane.gateway.device.DeviceKeyRejected;
import io.tracklane.gateway.device.OsmAndRequestDecoder;
import io.tracklane.gateway.device.OwnTracksCadence;
import io.tracklane.gateway.device.OwnTracksMessageDecoder;
import io.tracklane.gateway.ingest.Rejection;
import io.tracklane.gateway.metrics.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The phone apps' HTTP endpoints, authenticated by device key instead of a token:
 *
 * <ul>
 *   <li>{@code GET|POST /v1/osmand}: Traccar Client and other OsmAnd senders ({@link
 *       OsmAndRequestDecoder}), key in {@code id} / {@code deviceid} / {@code device_id};
 *   <li>{@code POST /v1/owntracks}: OwnTracks in HTTP mode ({@link OwnTracksMessageDecoder}), key
 *       as the Basic auth password (user name anything; {@code X-Limit-U}/{@code X-Limit-D}
 *       accepted and not needed). The reply is a JSON array: {@code []}, or the cadence commands
 *       the device has not been told yet ({@link OwnTracksCadence}).
 * </ul>
 *
 * 200 only after the durable write (or, with no task in progress, at once and nothing stored); 400
 * naming the app's field; 401 unknown or revoked key; 403 deactivated rider; 503 + Retry-After when
 * shedding load or the store/database cannot answer. The key is in the body for the OsmAnd form and
 * JSON, so bodies (at most {@code maxBodyBytes}) are read before it is checked.
 */
public final class PhoneAppEndpoints {
  private final DeviceAuth auth;
  private final DeviceFixIngest ingest;
  private final OwnTracksCadence cadence;
  private final GatewayMetrics metrics;
  private final int maxBodyBytes;
  private final int queueSoftLimit;
  private final int retryAfterSeconds;
  private final Clock clock;

  public PhoneAppEndpoints(
      DeviceAuth auth,
      DeviceFixIngest ingest,
      OwnTracksCadence cadence,
      GatewayMetrics metrics,
      int maxBodyBytes,
      int queueSoftLimit,
      int retryAfterSeconds,
      Clock clock) {
    this.auth = auth;
    this.ingest = ingest;
    this.cadence = cadence;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
    this.queueSoftLimit = queueSoftLimit;
    this.retryAfterSeconds = retryAfterSeconds;
    this.clock = clock;
  }

  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    router.route(HttpMethod.GET, "/v1/osmand").handler(this::osmand);
    router.route(HttpMethod.POST, "/v1/osmand").handler(body).handler(this::osmand);
    router.route(HttpMethod.POST, "/v1/owntracks").handler(body).handler(this::owntracks);
  }

  private void osmand(RoutingContext ctx) {
    long now = clock.millis();
    OsmAndRequestDecoder.Report report;
    // GET has no body handler (and no body)
    Buffer body = ctx.request().method() == HttpMethod.POST ? ctx.body().buffer() : null;
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (body != null && body.length() > 0 && isJson(type, body)) {
      JsonObject json;
      try {
        json = body.toJsonObject();
      } catch (DecodeException | ClassCastException e) {
        badRequest(ctx, List.of(new FixError(FixError.PAYLOAD, null, "malformed JSON body")));
        return;
      }
      report = OsmAndRequestDecoder.fromJson(json, now);
    } else {
      report = OsmAndRequestDecoder.fromParams(firstValues(ctx.request().params()), now);
    }
    DecodedFix fix = report.fix();
    auth.authenticate(report.key())
        .compose(device -> ingest.ingest("osmand", device, fix, queueSoftLimit))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                refuse(ctx, "osmand", "id", ar.cause());
                return;
              }
              boolean stored = ar.result() == DeviceFixIngest.Outcome.STORED;
              JsonObject answer = new JsonObject().put("stored", stored ? 1 : 0);
              if (!stored) answer.put("outsideTask", true);
              ErrorResponses.send(ctx, 200, answer);
            });
  }

  private void owntracks(RoutingContext ctx) {
    String key = basicPassword(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    OwnTracksMessageDecoder.Message message = OwnTracksMessageDecoder.decode(body);
    auth.authenticate(key)
        .compose(
            device -> {
              if (message.failed()) {
                List<FixError> errors = message.fix().decodingErrors();
                return Future.failedFuture(
                    new Rejection(Rejection.Reason.BAD_PAYLOAD, errors.get(0).toString(), errors));
              }
              Future<?> done =
                  message.isLocation()
                      ? ingest.ingest("owntracks-http", device, message.fix(), queueSoftLimit)
                      : Future.succeededFuture();
              return done.compose(v -> reply(device));
            })
        .onComplete(
            ar -> {
              if (ar.failed()) {
                refuse(ctx, "owntracks-http", "Basic", ar.cause());
                return;
              }
              if (ctx.response().ended()) return;
              ctx.response()
                  .setStatusCode(200)
                  .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                  .end(ar.result().encode());
            });
  }

  /** The commands this device has not been told yet, for the rider's current task. */
  private Future<JsonArray> reply(Device device) {
    return ingest
        .tasks()
        .taskInProgress(device.userId())
        .map(task -> cadence.httpReply(device.deviceId(), OwnTracksCadence.Mode.forTask(task)))
        // the fix is stored: a failed lookup only postpones the commands to the next reply
        .otherwise(new JsonArray());
  }

  private void refuse(RoutingContext ctx, String protocol, String scheme, Throwable cause) {
    if (cause instanceof DeviceKeyRejected k) {
      metrics.deviceKeyRefused(protocol);
      if ("Basic".equals(scheme))
        ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"tracklane\"");
      ErrorResponses.error(ctx, 401, "unauthorized", k.getMessage());
      return;
    }
    if (cause instanceof UserDeactivated d) {
      ErrorResponses.error(ctx, 403, "user_deactivated", d.getMessage());
      return;
    }
    if (cause instanceof UserCheckFailed f) {
      ctx.response().putHeader("Retry-After", Integer.toString(retryAfterSeconds));
      ErrorResponses.error(ctx, 503, "user_check_failed", f.getMessage());
      return;
    }
    if (!(cause instanceof Rejection r)) {
      ctx.fail(cause);
      return;
    }
    switch (r.reason()) {
      case BAD_PAYLOAD, BAD_TOPIC -> badRequest(ctx, r.errors());
      case NOT_AUTHORIZED -> ErrorResponses.error(ctx, 403, "forbidden", r.getMessage());
      case UNKNOWN_TASK -> ErrorResponses.error(ctx, 404, "unknown_task", r.getMessage());
      case OVERLOADED, SHUTTING_DOWN, STORE_FAILED -> {
        ctx.response().putHeader("Retry-After", Integer.toString(retryAfterSeconds));
        ErrorResponses.error(ctx, 503, r.reason().metricName, r.getMessage());
      }
    }
  }

  private static void badRequest(RoutingContext ctx, List<FixError> errors) {
    String message = errors.isEmpty() ? "invalid fix" : errors.get(0).toString();
    if (errors.size() > 1) message += " (and " + (errors.size() - 1) + " more)";
    JsonObject body = ErrorResponses.body("invalid_fixes", message);
    body.put("errors", FixJson.errorsToJson(errors));
    ErrorResponses.send(ctx, 400, body);
  }

  private static boolean isJson(String contentType, Buffer body) {
    if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json"))
      return true;
    for (int i = 0; i < body.length(); i++) {
      byte b = body.getByte(i);
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') continue;
      return b == '{';
    }
    return false;
  }

  private static Map<String, String> firstValues(MultiMap params) {
    Map<String, String> out = new HashMap<>();
    for (String name : params.names()) out.put(name.toLowerCase(Locale.ROOT), params.get(name));
    return out;
  }

  /** The password of {@code Authorization: Basic base64(user:password)}, or null. */
  static String basicPassword(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
    try {
      String decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? null : decoded.substring(colon + 1);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
