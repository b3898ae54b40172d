package io.tracklane.backoffice.common;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** API Gateway proxy responses with JSON bodies; errors share one shape with the gateway's. */
public final class Responses {
  private Responses() {}

  public static APIGatewayProxyResponseEvent json(int status, Object body) {
    String text =
        body == null
            ? ""
            : body instanceof JsonObject o
                ? o.encode()
                : body instanceof JsonArray a ? a.encode() : body.toString();
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(status)
        .withHeaders(Map.of("Content-Type", "application/json"))
        .withBody(text);
  }

  public static APIGatewayProxyResponseEvent ok(Object body) {
    return json(200, body);
  }

  public static APIGatewayProxyResponseEvent created(Object body) {
    return json(201, body);
  }

  public static APIGatewayProxyResponseEvent noContent() {
    return new APIGatewayProxyResponseEvent().withStatusCode(204).withHeaders(Map.of());
  }

  /** {@code {"error": code, "message": ..., "errors": [{"field","message"}]}} */
  public static APIGatewayProxyResponseEvent error(
      int status, String code, String message, List<FieldError> errors) {
    JsonObject body = new JsonObject().put("error", code).put("message", message);
    if (!errors.isEmpty()) {
      JsonArray a = new JsonArray();
      errors.forEach(e -> a.add(e.toJson()));
      body.put("errors", a);
    }
    return json(status, body);
  }

  public static APIGatewayProxyResponseEvent error(ApiException e) {
    return error(e.status(), e.code(), e.getMessage(), e.errors());
  }

  /** As {@link #error(ApiException)}, with the request id the log lines carry. */
  public static APIGatewayProxyResponseEvent error(ApiException e, String requestId) {
    APIGatewayProxyResponseEvent r = error(e);
    return r.withBody(new JsonObject(r.getBody()).put("requestId", requestId).encode());
  }

  /**
   * {@code 500 {"error":"internal_error","message":"internal error","requestId":...}}: the one
   * answer to a server fault, whatever it was; the details are in the log under the request id.
   */
  public static APIGatewayProxyResponseEvent internalError(String requestId) {
    return json(
        500,
        new JsonObject()
            .put("error", "internal_error")
            .put("message", "internal error")
            .put("requestId", requestId));
  }
}
