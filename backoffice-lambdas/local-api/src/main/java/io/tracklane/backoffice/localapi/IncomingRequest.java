package io.tracklane.backoffice.localapi;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * What arrived, captured once and shared by the authorizer call, the validation and the proxy
 * event.
 *
 * @param requestId API Gateway's request id ({@code requestContext.requestId})
 * @param path the request path as sent (no query)
 * @param pathParameters decoded values, by template name
 * @param body empty when there is none
 */
record IncomingRequest(
    String requestId,
    long epochMillis,
    ApiOperation operation,
    String path,
    Map<String, String> pathParameters,
    MultiMap headers,
    MultiMap query,
    Buffer body,
    String sourceIp) {

  String method() {
    return operation.method();
  }

  String resource() {
    return operation.path();
  }

  String header(String name) {
    return headers.get(name);
  }

  String methodArn() {
    return LocalAws.methodArn(method(), path);
  }
}
