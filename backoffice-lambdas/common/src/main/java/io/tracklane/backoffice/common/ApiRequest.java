package io.tracklane.backoffice.common;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/** Convenient, validated access to an API Gateway proxy event. */
public final class ApiRequest {
  private final APIGatewayProxyRequestEvent event;
  private final Caller caller;

  public ApiRequest(APIGatewayProxyRequestEvent event) {
    this.event = event;
    this.caller = Caller.of(event);
  }

  public APIGatewayProxyRequestEvent event() {
    return event;
  }

  /** The caller; 401 if the request has no authorizer context. */
  public Caller caller() {
    if (caller == null) throw ApiException.unauthorized("this operation needs a token");
    return caller;
  }

  /** The caller if any (public endpoints). */
  public Optional<Caller> optionalCaller() {
    return Optional.ofNullable(caller);
  }

  public String pathParam(String name) {
    Map<String, String> p = event.getPathParameters();
    String v = p == null ? null : p.get(name);
    if (v == null || v.isBlank())
      throw ApiException.badRequest("path parameter " + name + " is missing");
    return v;
  }

  public Optional<String> query(String name) {
    Map<String, String> q = event.getQueryStringParameters();
    String v = q == null ? null : q.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  public Optional<String> header(String name) {
    Map<String, String> h = event.getHeaders();
    if (h == null) return Optional.empty();
    for (var e : h.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) return Optional.ofNullable(e.getValue());
    }
    return Optional.empty();
  }

  /** The body as a JSON object; 400 when missing, malformed or not an object. */
  public JsonObject jsonBody() {
    String body = event.getBody();
    if (body == null || body.isBlank())
      throw ApiException.badRequest("request body is required (a JSON object)");
    if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
      body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
    }
    try {
      Object v = Json.decodeValue(body);
      if (v instanceof JsonObject o) return o;
      throw ApiException.badRequest("request body must be a JSON object");
    } catch (DecodeException e) {
      throw ApiException.badRequest("request body is not valid JSON");
    }
  }

  /**
   * The caller's address as API Gateway saw the connection ({@code
   * requestContext.identity.sourceIp}; local-api fills it the same way), never a forwarding header
   * the client could write; {@code "unknown"} when absent.
   */
  public String sourceIp() {
    var rc = event.getRequestContext();
    String ip = rc == null || rc.getIdentity() == null ? null : rc.getIdentity().getSourceIp();
    return ip == null || ip.isBlank() ? "unknown" : ip;
  }

  public String requestId() {
    var rc = event.getRequestContext();
    return rc == null || rc.getRequestId() == null ? "-" : rc.getRequestId();
  }
}
