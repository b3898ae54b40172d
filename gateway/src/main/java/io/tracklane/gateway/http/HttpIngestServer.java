package io.tracklane.gateway.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tracklane.core.fix.FixJson;
import io.tracklane.core.auth.TokenRejected;
import io.tracklane.gateway.auth.Authenticator;
import io.tracklane.gateway.auth.UserCheckFailed;
import io.tracklane.gateway.auth.UserDeactivated;
import io.tracklane.gateway.ingest.FixIngest;
import io.tracklane.gateway.ingest.Rejection;
import io.tracklane.gateway.mqtt.FixTopics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * HTTP ingest ({@code POST /v1/tasks/{taskId}/fixes}), health, metrics, and what {@code extraRoutes}
 * mounts (the live stream). 200 only after every fix is durably written; 400 lists each bad fix by
 * index and field; 401 bad token; 403 deactivated user or not the rider's task; 404 unknown task; 413 body too large;
 * 503 + Retry-After when shedding load.
 */
public final class HttpIngestServer {
  private final Vertx vertx;
  private final Authenticator auth;
  private final FixIngest ingest;
  private final PrometheusMeterRegistry registry;
  private final Supplier<Future<Boolean>> storeReady;
  private final int maxBodyBytes;
  private final int queueSoftLimit;
  private final int retryAfterSeconds;
  private final Consumer<Router> extraRoutes;
  private HttpServer server;

  public HttpIngestServer(Vertx vertx, Authenticator auth, FixIngest ingest, PrometheusMeterRegistry registry,
      Supplier<Future<Boolean>> storeReady, int maxBodyBytes, int queueSoftLimit, int retryAfterSeconds) {
    this(vertx, auth, ingest, registry, storeReady, maxBodyBytes, queueSoftLimit, retryAfterSeconds, r -> { });
  }

  /** @param extraRoutes mounts further endpoints (the live stream) on the same server */
  public HttpIngestServer(Vertx vertx, Authenticator auth, FixIngest ingest, PrometheusMeterRegistry registry,
      Supplier<Future<Boolean>> storeReady, int maxBodyBytes, int queueSoftLimit, int retryAfterSeconds,
      Consumer<Router> extraRoutes) {
    this.extraRoutes = extraRoutes;
    this.vertx = vertx;
    this.auth = auth;
    this.ingest = ingest;
    this.registry = registry;
    this.storeReady = storeReady;
    this.maxBodyBytes = maxBodyBytes;
    this.queueSoftLimit = queueSoftLimit;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Future<Integer> listen(String host, int port) {
    Router router = Router.router(vertx);
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    router.post("/v1/tasks/:taskId/fixes")
        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(this::postFixes);
    extraRoutes.accept(router);
    router.errorHandler(413, ctx -> error(ctx, 413, "payload_too_large",
        "body exceeds " + maxBodyBytes + " bytes; split the fixes into several requests"));
    router.errorHandler(404, ctx -> error(ctx, 404, "not_found", "no such endpoint"));
    router.errorHandler(405, ctx -> error(ctx, 405, "method_not_allowed", "method not allowed here"));
    router.errorHandler(500, ctx -> error(ctx, 500, "internal_error", "internal error"));
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(true)
        .setDecompressionSupported(true));
    return server.requestHandler(router).listen().map(HttpServer::actualPort);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void ready(RoutingContext ctx) {
    if (!ingest.isAccepting()) {
      error(ctx, 503, "shutting_down", "gateway is shutting down");
      return;
    }
    storeReady.get().onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        ctx.json(new JsonObject().put("status", "UP"));
      } else {
        error(ctx, 503, "store_unavailable", "the fixes table does not answer");
      }
    });
  }

  private void postFixes(RoutingContext ctx) {
    String taskId = ctx.pathParam("taskId");
    if (!FixTopics.isValidTaskId(taskId)) {
      error(ctx, 400, "invalid_task_id", "task id must be 1..128 characters without '/', '+', '#' or control characters");
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      unauthorized(ctx, "send Authorization: Bearer <access token>");
      return;
    }
    auth.authenticate(header.substring(7).trim())
        .compose(token -> ingest.ingest("http", token.principal(), taskId, ctx.body().buffer() == null
            ? io.vertx.core.buffer.Buffer.buffer() : ctx.body().buffer(), queueSoftLimit))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            ctx.json(new JsonObject().put("stored", ar.result()));
          } else if (ar.cause() instanceof TokenRejected t) {
            unauthorized(ctx, t.getMessage());
          } else if (ar.cause() instanceof UserDeactivated d) {
            error(ctx, 403, "user_deactivated", d.getMessage());
          } else if (ar.cause() instanceof UserCheckFailed f) {
            ctx.response().putHeader("Retry-After", Integer.toString(retryAfterSeconds));
            error(ctx, 503, "user_check_failed", f.getMessage());
          } else if (ar.cause() instanceof Rejection r) {
            refuse(ctx, r);
          } else {
            ctx.fail(ar.cause());
          }
        });
  }

  private void refuse(RoutingContext ctx, Rejection r) {
    switch (r.reason()) {
      case BAD_PAYLOAD, BAD_TOPIC -> {
        JsonObject body = body("invalid_fixes", r.getMessage());
        body.put("errors", FixJson.errorsToJson(r.errors()));
        send(ctx, 400, body);
      }
      case NOT_AUTHORIZED -> error(ctx, 403, "forbidden", r.getMessage());
      case UNKNOWN_TASK -> error(ctx, 404, "unknown_task", r.getMessage());
      case OVERLOADED, SHUTTING_DOWN, STORE_FAILED -> {
        ctx.response().putHeader("Retry-After", Integer.toString(retryAfterSeconds));
        error(ctx, 503, r.reason().metricName, r.getMessage());
      }
    }
  }

  private void unauthorized(RoutingContext ctx, String message) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    error(ctx, 401, "unauthorized", message);
  }

  private static JsonObject body(String code, String message) {
    return new JsonObject().put("error", code).put("message", message);
  }

  private static void error(RoutingContext ctx, int status, String code, String message) {
    send(ctx, status, body(code, message));
  }

  private static void send(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) return;
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
