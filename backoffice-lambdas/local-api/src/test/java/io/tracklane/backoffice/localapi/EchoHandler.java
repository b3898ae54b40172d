package io.tracklane.backoffice.localapi;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only function: answers 200 with the proxy event it received as JSON (plus the Lambda
 * context's function name), two Set-Cookie values via multiValueHeaders and an X-Echo header. A
 * request carrying {@code X-Test-Fail} makes it throw.
 */
final class EchoHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  final AtomicInteger calls = new AtomicInteger();

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, Context context) {
    calls.incrementAndGet();
    if (header(event, "X-Test-Fail") != null) throw new IllegalStateException("asked to fail");
    JsonObject body =
        describe(event)
            .put("function", context.getFunctionName())
            .put("remainingMs", context.getRemainingTimeInMillis());
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(200)
        .withHeaders(Map.of("Content-Type", "application/json", "X-Echo", "1"))
        .withMultiValueHeaders(Map.of("Set-Cookie", List.of("a=1", "b=2")))
        .withBody(body.encode());
  }

  static String header(APIGatewayProxyRequestEvent event, String name) {
    if (event.getHeaders() == null) return null;
    for (var e : event.getHeaders().entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
    }
    return null;
  }

  static JsonObject describe(APIGatewayProxyRequestEvent e) {
    var rc = e.getRequestContext();
    JsonObject context =
        new JsonObject()
            .put("requestId", rc.getRequestId())
            .put("resourcePath", rc.getResourcePath())
            .put("httpMethod", rc.getHttpMethod())
            .put("stage", rc.getStage())
            .put("path", rc.getPath())
            .put("accountId", rc.getAccountId())
            .put("apiId", rc.getApiId())
            .put("sourceIp", rc.getIdentity() == null ? null : rc.getIdentity().getSourceIp())
            .put("authorizer", json(rc.getAuthorizer()));
    return new JsonObject()
        .put("resource", e.getResource())
        .put("path", e.getPath())
        .put("httpMethod", e.getHttpMethod())
        .put("headers", json(e.getHeaders()))
        .put("multiValueHeaders", json(e.getMultiValueHeaders()))
        .put("queryStringParameters", json(e.getQueryStringParameters()))
        .put("multiValueQueryStringParameters", json(e.getMultiValueQueryStringParameters()))
        .put("pathParameters", json(e.getPathParameters()))
        .put("body", e.getBody())
        .put("isBase64Encoded", e.getIsBase64Encoded())
        .put("requestContext", context);
  }

  private static JsonObject json(Map<String, ?> map) {
    return map == null ? null : new JsonObject(new LinkedHashMap<>(map));
  }
}
