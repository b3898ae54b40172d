package io.tracklane.gateway.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The gateway's JSON error answers: {@code {"error": code, "message": text}}. */
public final class ErrorResponses {
  private ErrorResponses() {}

  public static JsonObject body(String code, String message) {
    return new JsonObject().put("error", code).put("message", message);
  }

  public static void error(RoutingContext ctx, int status, String code, String message) {
    send(ctx, status, body(code, message));
  }

  public static void send(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) return;
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  /**
   * Answers before the request body was read and then drops the connection, so a client cannot make
   * the gateway receive (even to discard) a body it already refused. Over HTTP/2 only the stream is
   * reset.
   */
  public static void refuseUnread(RoutingContext ctx, int status, String code, String message) {
    if (ctx.response().ended()) return;
    HttpServerRequest req = ctx.request();
    boolean http2 = req.version() == HttpVersion.HTTP_2;
    if (!http2) ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body(code, message).encode())
        .onComplete(written -> dropUnreadBody(req));
  }

  /** After the answer was written: stop the rest of a request body from being received. */
  static void dropUnreadBody(HttpServerRequest req) {
    // a WebSocket upgrade (no body, not "ended" until upgraded or refused) keeps its connection
    if (req.isEnded() || !declaresBody(req)) return;
    if (req.version() == HttpVersion.HTTP_2) {
      req.response().reset(0x8); // CANCEL: this stream only
    } else {
      req.connection().close();
    }
  }

  private static boolean declaresBody(HttpServerRequest req) {
    String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    return req.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
        || (length != null && !length.trim().equals("0"));
  }
}
