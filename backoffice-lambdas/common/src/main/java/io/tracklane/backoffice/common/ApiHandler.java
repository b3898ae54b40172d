package io.tracklane.backoffice.common;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.core.auth.Permissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A business unit's Lambda: one function serving the unit's operations, dispatched on the API
 * Gateway {@code httpMethod} + {@code resource} template (e.g. {@code PUT /routes/{routeId}}).
 * Subclasses register endpoints in their constructor (the Lambda init phase). Expected refusals are
 * {@link ApiException}s; anything else is a 500 {@code {"error":"internal_error","requestId"}}
 * whose details are logged under that request id: no stack trace and no database text (see {@link
 * DatabaseErrors}) ever reaches the client.
 *
 * <p>Defence in depth: before an endpoint runs, the caller's role is checked against the same
 * {@link Permissions} table the authorizer builds its IAM policy from, keyed by the operation. So a
 * mis-set policy, a stale cached one or a direct invocation of the function cannot reach an
 * operation the role may not call (403), and a protected operation without an authorizer context is
 * a 401. Ownership ("only the claimer") stays with the endpoints.
 */
public abstract class ApiHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
  private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

  @FunctionalInterface
  public interface Endpoint {
    APIGatewayProxyResponseEvent handle(ApiRequest request) throws Exception;
  }

  private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

  protected final void on(String method, String resource, Endpoint endpoint) {
    if (endpoints.put(method + " " + resource, endpoint) != null) {
      throw new IllegalStateException("endpoint registered twice: " + method + " " + resource);
    }
  }

  /**
   * "METHOD /resource" keys this handler serves (local-api and tests check them against the
   * OpenAPI).
   */
  public final Set<String> operations() {
    return endpoints.keySet();
  }

  /**
   * 401 without a caller, 403 when the caller's role may not call the operation; public operations
   * pass.
   */
  private static void requirePermission(ApiRequest request, String method, String resource) {
    Permissions.Operation operation = Permissions.op(method, resource);
    if (Permissions.PUBLIC.contains(operation)) return;
    Caller caller = request.caller();
    if (!Permissions.allows(caller.role(), method, resource)) {
      // the authorizer's policy should have stopped this: worth a look at the deployment
      log.warn(
          "request {}: role {} may not call {}; refused by the handler",
          request.requestId(),
          caller.role(),
          operation);
      throw ApiException.forbidden("role " + caller.role() + " may not call " + operation);
    }
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, Context context) {
    String key = event.getHttpMethod() + " " + event.getResource();
    Endpoint endpoint = endpoints.get(key);
    ApiRequest request = new ApiRequest(event);
    if (endpoint == null) {
      return Responses.error(404, "not_found", "no operation " + key, List.of());
    }
    try {
      requirePermission(request, event.getHttpMethod(), event.getResource());
      return endpoint.handle(request);
    } catch (ApiException e) {
      return Responses.error(e);
    } catch (Exception e) {
      String sqlState = DatabaseErrors.sqlState(e);
      ApiException clientFault = DatabaseErrors.forClient(sqlState);
      if (clientFault != null) {
        // the request's fault, said in our words; Postgres's text (names, values) stays in the log
        log.warn(
            "request {} {} refused by the database: {}", request.requestId(), key, e.toString());
        return Responses.error(clientFault, request.requestId());
      }
      log.error("request {} {} failed: {}", request.requestId(), key, e.toString(), e);
      return Responses.internalError(request.requestId());
    }
  }
}
