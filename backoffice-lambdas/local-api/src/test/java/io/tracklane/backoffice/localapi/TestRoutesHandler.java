package io.tracklane.backoffice.localapi;

import io.tracklane.backoffice.common.ApiHandler;
import io.tracklane.backoffice.common.Responses;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only function written like the units' handlers: an {@link ApiHandler} dispatching on the
 * resource.
 */
final class TestRoutesHandler extends ApiHandler {
  final AtomicInteger calls = new AtomicInteger();

  TestRoutesHandler() {
    on(
        "GET",
        "/routes/{routeId}",
        req -> {
          calls.incrementAndGet();
          return Responses.ok(
              EchoHandler.describe(req.event())
                  .put(
                      "caller",
                      new JsonObject()
                          .put("userId", req.caller().userId())
                          .put("role", req.caller().role())));
        });
    on(
        "PUT",
        "/routes/{routeId}",
        req -> {
          calls.incrementAndGet();
          return Responses.ok(
              new JsonObject()
                  .put("routeId", req.pathParam("routeId"))
                  .put("body", req.jsonBody())
                  .put("role", req.caller().role()));
        });
  }
}
