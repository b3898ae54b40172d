package io.tracklane.gateway.http;

import io.tracklane.core.auth.Principal;
import io.tracklane.core.auth.TokenRejected;
import io.tracklane.core.auth.VerifiedToken;
import io.tracklane.gateway.auth.Authenticator;
import io.tracklane.gateway.ingest.FixIngest;
import io.tracklane.gateway.ingest.TaskIds;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;

/**
 * What {@code POST /v1/tasks/{taskId}/fixes} decides from the request line and headers alone,
 * before a byte of the body is read: the task id, a valid Bearer token of an active user, no
 * Content-Encoding (a compressed body could inflate far beyond the limit), a Content-Length within
 * the limit, and the rider's access to the task. A refusal is answered at once and the connection
 * dropped, so an unauthenticated or oversized body is never received. Only then does the body
 * handler run (and a client waiting on {@code Expect: 100-continue} is told to send). It is a
 * {@link SecurityPolicyHandler} because Vert.x Web runs only those (and platform handlers) before
 * the body handler.
 */
final class IngestAdmission implements SecurityPolicyHandler {
  /** Where the admitted principal is kept for the handler after the body handler. */
  static final String PRINCIPAL = "tracklane.principal";

  private final Authenticator auth;
  private final FixIngest ingest;
  private final int maxBodyBytes;
  private final RefusalAnswers refusals;

  /** How a refusal of the ingest path is put into a response (status, code, headers). */
  interface RefusalAnswers {
    void unauthorized(RoutingContext ctx, String message);

    void refused(RoutingContext ctx, Throwable cause);
  }

  IngestAdmission(Authenticator auth, FixIngest ingest, int maxBodyBytes, RefusalAnswers refusals) {
    this.auth = auth;
    this.ingest = ingest;
    this.maxBodyBytes = maxBodyBytes;
    this.refusals = refusals;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    req.pause(); // hold the body (TCP back-pressure) until the caller is known
    String taskId = ctx.pathParam("taskId");
    if (!TaskIds.isValid(taskId)) {
      ErrorResponses.refuseUnread(ctx, 400, "invalid_task_id", TaskIds.RULE);
      return;
    }
    String header = req.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      refusals.unauthorized(ctx, "send Authorization: Bearer <access token>");
      return;
    }
    // the token, then whether its user is still active (a deactivated user is refused 403)
    auth.authenticate(header.substring(7).trim())
        .map(VerifiedToken::principal)
        .compose(
            who -> {
              // the token first: a stranger learns nothing, not even which bodies would be accepted
              if (!refusedByHeaders(ctx)) return ingest.admit(who, taskId).map(v -> who);
              return Future.<Principal>succeededFuture(null);
            })
        .onComplete(
            ar -> {
              if (ar.failed()) {
                if (ar.cause() instanceof TokenRejected t)
                  refusals.unauthorized(ctx, t.getMessage());
                else refusals.refused(ctx, ar.cause());
                return;
              }
              if (ar.result() == null) return; // answered by refusedByHeaders
              ctx.put(PRINCIPAL, ar.result());
              ctx.next(); // the body handler answers Expect: 100-continue and resumes the request
            });
  }

  /** Answers 415 to a compressed body and 413 to a declared length over the limit. */
  private boolean refusedByHeaders(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    String encoding = req.getHeader(HttpHeaders.CONTENT_ENCODING);
    if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.trim())) {
      ErrorResponses.refuseUnread(
          ctx,
          415,
          "unsupported_content_encoding",
          "Content-Encoding '"
              + encoding.trim()
              + "' is not accepted: send the fixes uncompressed, without a Content-Encoding header");
      return true;
    }
    String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && declaredTooLarge(length.trim())) {
      ErrorResponses.refuseUnread(
          ctx,
          413,
          "payload_too_large",
          "Content-Length "
              + length.trim()
              + " exceeds "
              + maxBodyBytes
              + " bytes; split the fixes into several requests");
      return true;
    }
    return false;
  }

  static Principal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  private boolean declaredTooLarge(String length) {
    try {
      return Long.parseLong(length) > maxBodyBytes;
    } catch (NumberFormatException e) {
      return false; // Vert.x has already refused a malformed Content-Length
    }
  }
}
