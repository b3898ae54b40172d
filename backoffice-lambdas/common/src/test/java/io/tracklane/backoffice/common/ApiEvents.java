package io.tracklane.backoffice.common;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import java.util.HashMap;
import java.util.Map;

/** API Gateway proxy events as API Gateway builds them after the authorizer ran. */
public final class ApiEvents {
  private ApiEvents() {}

  public static APIGatewayProxyRequestEvent event(
      String method, String resource, Map<String, String> pathParams, String body, Caller caller) {
    String path = resource;
    for (var e : pathParams.entrySet()) path = path.replace("{" + e.getKey() + "}", e.getValue());
    var rc =
        new APIGatewayProxyRequestEvent.ProxyRequestContext()
            .withRequestId("test-" + System.nanoTime())
            .withHttpMethod(method)
            .withResourcePath(resource)
            .withStage("test");
    if (caller != null) {
      Map<String, Object> auth = new HashMap<>();
      auth.put("userId", caller.userId());
      auth.put("role", caller.role());
      auth.put("principalId", caller.userId());
      rc.setAuthorizer(auth);
    }
    return new APIGatewayProxyRequestEvent()
        .withHttpMethod(method)
        .withResource(resource)
        .withPath(path)
        .withPathParameters(pathParams)
        .withBody(body)
        .withHeaders(Map.of("Content-Type", "application/json"))
        .withRequestContext(rc);
  }
}
