package io.tracklane.backoffice.localapi;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.PolicyEvaluator;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REQUEST Lambda authorizer, run the way API Gateway runs it for {@code tracklaneAuth}
 * operations: no {@code Authorization} header → 401 without calling it; otherwise the (cached)
 * policy for that header value is evaluated against the request's methodArn. The authorizer
 * throwing {@code Unauthorized} → 401; a policy that does not allow the call → 403; any other
 * failure → 500. On success the result is {@code requestContext.authorizer}: the policy's context
 * (values as strings, as API Gateway passes them) plus {@code principalId}.
 */
final class LocalAuthorizer {
  static final String FUNCTION = "authorizer";
  private static final Logger log = LoggerFactory.getLogger(LocalAuthorizer.class);

  private final RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponse> handler;
  private final FunctionInvoker invoker;
  private final AuthorizerCache cache;

  LocalAuthorizer(
      RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponse> handler,
      FunctionInvoker invoker,
      AuthorizerCache cache) {
    this.handler = handler;
    this.invoker = invoker;
    this.cache = cache;
  }

  /**
   * The authorizer context for requestContext.authorizer; fails with an {@link ApiException} (401,
   * 403, 500).
   */
  Future<Map<String, Object>> authorize(IncomingRequest in) {
    String identity = in.header("Authorization");
    if (identity == null || identity.isBlank()) {
      return Future.failedFuture(unauthorized());
    }
    long started = System.nanoTime();
    boolean[] invoked = {false};
    return cache
        .get(
            identity,
            () -> {
              invoked[0] = true;
              return invoker.invoke(FUNCTION, handler, event(in));
            })
        .recover(err -> Future.failedFuture(fromFailure(err)))
        .compose(
            policy -> {
              long latencyMs = invoked[0] ? (System.nanoTime() - started) / 1_000_000 : 0;
              return decide(policy, in, latencyMs);
            });
  }

  /** The event API Gateway sends a REQUEST authorizer. */
  static APIGatewayCustomAuthorizerEvent event(IncomingRequest in) {
    var identity = new APIGatewayCustomAuthorizerEvent.Identity();
    identity.setSourceIp(in.sourceIp());
    var context =
        APIGatewayCustomAuthorizerEvent.RequestContext.builder()
            .withAccountId(LocalAws.ACCOUNT_ID)
            .withApiId(LocalAws.API_ID)
            .withStage(LocalAws.STAGE)
            .withRequestId(in.requestId())
            .withResourceId(Integer.toHexString(in.resource().hashCode()))
            .withResourcePath(in.resource())
            .withHttpMethod(in.method())
            .withPath("/" + LocalAws.STAGE + in.path())
            .withIdentity(identity)
            .build();
    return APIGatewayCustomAuthorizerEvent.builder()
        .withType("REQUEST")
        .withMethodArn(in.methodArn())
        .withResource(in.resource())
        .withPath(in.path())
        .withHttpMethod(in.method())
        .withHeaders(ProxyEvents.single(in.headers()))
        .withQueryStringParameters(ProxyEvents.single(in.query()))
        .withPathParameters(
            in.pathParameters().isEmpty() ? null : new LinkedHashMap<>(in.pathParameters()))
        .withRequestContext(context)
        .build();
  }

  private Throwable fromFailure(Throwable err) {
    if ("Unauthorized".equals(err.getMessage())) return unauthorized();
    if (err instanceof FunctionTimeoutException) {
      log.warn("authorizer timed out: {}", err.getMessage());
    } else {
      log.error("authorizer failed: {}", err.toString(), err);
    }
    return authorizerError("the authorizer failed");
  }

  private static Future<Map<String, Object>> decide(
      IamPolicyResponse policy, IncomingRequest in, long latencyMs) {
    if (policy == null || policy.getPrincipalId() == null) {
      return Future.failedFuture(authorizerError("the authorizer returned no principalId"));
    }
    Map<String, Object> document;
    try {
      document = policy.getPolicyDocument();
    } catch (NullPointerException e) {
      return Future.failedFuture(authorizerError("the authorizer returned no policy document"));
    }
    if (PolicyEvaluator.evaluate(document, in.methodArn()) != PolicyEvaluator.Decision.ALLOW) {
      return Future.failedFuture(
          new ApiException(
              403, "forbidden", "not allowed: " + in.method() + " " + in.resource(), List.of()));
    }
    Map<String, Object> context = new LinkedHashMap<>();
    if (policy.getContext() != null) {
      for (var e : policy.getContext().entrySet()) {
        Object v = e.getValue();
        if (v != null && !(v instanceof String || v instanceof Number || v instanceof Boolean)) {
          return Future.failedFuture(
              authorizerError(
                  "authorizer context value "
                      + e.getKey()
                      + " must be a string, number or boolean"));
        }
        context.put(e.getKey(), v == null ? null : v.toString());
      }
    }
    context.put("principalId", policy.getPrincipalId());
    context.put("integrationLatency", latencyMs);
    return Future.succeededFuture(context);
  }

  private static ApiException unauthorized() {
    return new ApiException(401, "unauthorized", "Unauthorized", List.of());
  }

  private static ApiException authorizerError(String message) {
    return new ApiException(500, "authorizer_error", message, List.of());
  }
}
