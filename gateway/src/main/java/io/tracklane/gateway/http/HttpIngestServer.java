package io.tracklane.gateway.http;

import io.tracklane.core.fix.FixJson;
import io.tracklane.gateway.auth.Authenticator;
import io.tracklane.gateway.auth.UserCheckFailed;
import io.tracklane.gateway.auth.UserDeactivated;
import io.tracklane.gateway.ingest.FixIngest;
import io.tracklane.gateway.ingest.Rejection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.Consumer;

/**
 * The public HTTP listener: ingest ({@code POST /v1/tasks/{taskId}/fixes}) and what {@code
 * extraRoutes} mounts (the live stream, the dashboard). Health and metrics are not here but on the
 * admin listener. 200 only after every fix is durably written; 400 lists each bad fix by index and
 * field; 401 bad token; 403 deactivated user or not the rider's task; 404 unknown task; 413 body
 * too large; 415 compressed body; 503 + Retry-After when shedding load. Everything but the 400 and
 * the 503 of a full queue is decided before the body is read ({@link IngestAdmission}).
 */
public final class HttpIngestServer {
  private final Vertx vertx;
  private final FixIngest ingest;
  private final int maxBodyBytes;
  private final int queueSoftLimit;
  private final int retryAfterSeconds;
  private final Consumer<Router> extraRoutes;
  private final IngestAdmission admission;
  private HttpServer server;

  /**
   * @param extraRoutes mounts further endpoints (the live stream) on the same server
   */
  public HttpIngestServer(
      Vertx vertx,
      Authenticator auth,
      FixIngest ingest,
      int maxBodyBytes,
      int queueSoftLimit,
      int retryAfterSeconds,
      Consumer<Router> extraRoutes) {
    this.extraRoutes = extraRoutes;
    this.vertx = vertx;
    this.ingest = ingest;
    this.maxBodyBytes = maxBodyBytes;
    this.queueSoftLimit = queueSoftLimit;
    this.retryAfterSeconds = retryAfterSeconds;
    this.admission =
        new IngestAdmission(
            auth,
            ingest,
            maxBodyBytes,
            new IngestAdmission.RefusalAnswers() {
              @Override
              public void unauthorized(RoutingContext ctx, String message) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                ErrorResponses.refuseUnread(ctx, 401, "unauthorized", message);
              }

              @Override
              public void refused(RoutingContext ctx, Throwable cause) {
                refuse(ctx, cause, true);
              }
            });
  }

  public Future<Integer> listen(String host, int port) {
    Router router = Router.router(vertx);
    // Whatever answers before reading a request's body (404, 405, a refusal) also stops receiving
    // it.
    router
        .route()
        .handler(
            ctx -> {
              ctx.addEndHandler(ended -> ErrorResponses.dropUnreadBody(ctx.request()));
              ctx.next();
            });
    router
        .post("/v1/tasks/:taskId/fixes")
        .handler(admission)
        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(this::postFixes);
    extraRoutes.accept(router);
    router.errorHandler(
        413,
        ctx ->
            ErrorResponses.refuseUnread(
                ctx,
                413,
                "payload_too_large",
                "body exceeds " + maxBodyBytes + " bytes; split the fixes into several requests"));
    router.errorHandler(
        404, ctx -> ErrorResponses.error(ctx, 404, "not_found", "no such endpoint"));
    router.errorHandler(
        405,
        ctx -> ErrorResponses.error(ctx, 405, "method_not_allowed", "method not allowed here"));
    router.errorHandler(
        500, ctx -> ErrorResponses.error(ctx, 500, "internal_error", "internal error"));
    // Request bodies are never inflated (a gzip bomb); IngestAdmission answers 415 to a
    // Content-Encoding.
    // Responses may still be compressed; the live stream opts out per response.
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setCompressionSupported(true)
                .setDecompressionSupported(false));
    return server.requestHandler(router).listen().map(HttpServer::actualPort);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void postFixes(RoutingContext ctx) {
    Buffer body = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    ingest
        .ingest(
            "http", IngestAdmission.principal(ctx), ctx.pathParam("taskId"), body, queueSoftLimit)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                ctx.json(new JsonObject().put("stored", ar.result()));
              } else {
                refuse(ctx, ar.cause(), false);
              }
            });
  }

  /**
   * @param unread the body was not read: answer and drop the connection
   */
  private void refuse(RoutingContext ctx, Throwable cause, boolean unread) {
    if (cause instanceof UserDeactivated d) {
      answer(ctx, unread, 403, "user_deactivated", d.getMessage());
      return;
    }
    if (cause instanceof UserCheckFailed f) {
      ctx.response().putHeader("Retry-After", Integer.toString(retryAfterSeconds));
      answer(ctx, unread, 503, "user_check_failed", f.getMessage());
      return;
    }
    if (!(cause instanceof Rejection r)) {
      ctx.fail(cause);
      return;
    }
    switch (r.reason()) {
      case BAD_PAYLOAD, BAD_TOPIC -> {
        JsonObject body = ErrorResponses.body("invalid_fixes", r.getMessage());
        body.put("errors", FixJson.errorsToJson(r.errors()));
        ErrorResponses.send(ctx, 400, body);
      }
      case NOT_AUTHORIZED -> answer(ctx, unread, 403, "forbidden", r.getMessage());
      case UNKNOWN_TASK -> answer(ctx, unread, 404, "unknown_task", r.getMessage());
      case OVERLOADED, SHUTTING_DOWN, STORE_FAILED -> {
        ctx.response().putHeader("Retry-After", Integer.toString(retryAfterSeconds));
        answer(ctx, unread, 503, r.reason().metricName, r.getMessage());
      }
    }
  }

  private static void answer(
      RoutingContext ctx, boolean unread, int status, String code, String message) {
    if (unread) ErrorResponses.refuseUnread(ctx, status, code, message);
    else ErrorResponses.error(ctx, status, code, message);
  }
}
