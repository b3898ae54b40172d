package io.tracklane.gateway.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tracklane.gateway.http.ErrorResponses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The admin listener, on its own port so the public load balancers (which forward only to the
 * ingest ports) cannot reach it: {@code GET /health/live} (200 while the process runs), {@code GET
 * /health/ready} (200 when accepting and the fixes table answers) and {@code GET /metrics}
 * (Prometheus text). Nothing here reads a request body.
 */
public final class AdminServer {
  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final BooleanSupplier accepting;
  private final Supplier<Future<Boolean>> storeReady;
  private HttpServer server;

  public AdminServer(
      Vertx vertx,
      PrometheusMeterRegistry registry,
      BooleanSupplier accepting,
      Supplier<Future<Boolean>> storeReady) {
    this.vertx = vertx;
    this.registry = registry;
    this.accepting = accepting;
    this.storeReady = storeReady;
  }

  public Future<Integer> listen(String host, int port) {
    Router router = Router.router(vertx);
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    router.errorHandler(
        404,
        ctx ->
            ErrorResponses.error(
                ctx,
                404,
                "not_found",
                "the admin port serves /health/live, /health/ready and /metrics"));
    router.errorHandler(
        405,
        ctx -> ErrorResponses.error(ctx, 405, "method_not_allowed", "method not allowed here"));
    router.errorHandler(
        500, ctx -> ErrorResponses.error(ctx, 500, "internal_error", "internal error"));
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port));
    return server.requestHandler(router).listen().map(HttpServer::actualPort);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void ready(RoutingContext ctx) {
    if (!accepting.getAsBoolean()) {
      ErrorResponses.error(ctx, 503, "shutting_down", "gateway is shutting down");
      return;
    }
    storeReady
        .get()
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result()) {
                ctx.json(new JsonObject().put("status", "UP"));
              } else {
                ErrorResponses.error(
                    ctx, 503, "store_unavailable", "the fixes table does not answer");
              }
            });
  }
}
