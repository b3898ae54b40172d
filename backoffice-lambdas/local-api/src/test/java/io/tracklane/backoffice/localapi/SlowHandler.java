package io.tracklane.backoffice.localapi;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.common.Responses;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Test-only function that blocks until released (or interrupted, as local-api does on timeout). */
final class SlowHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  final CountDownLatch started = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch interrupted = new CountDownLatch(1);

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, Context context) {
    started.countDown();
    try {
      release.await(60, TimeUnit.SECONDS);
      return Responses.ok(new JsonObject().put("released", true));
    } catch (InterruptedException e) {
      interrupted.countDown();
      Thread.currentThread().interrupt();
      return Responses.ok(new JsonObject().put("interrupted", true));
    }
  }
}
