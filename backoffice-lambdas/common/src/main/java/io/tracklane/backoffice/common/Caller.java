package io.tracklane.backoffice.common;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import java.util.Map;

/**
 * Who is calling, as the authorizer put it in {@code requestContext.authorizer} (context {userId,
 * role}). Handlers trust it because API Gateway (or local-api) only sets it after the authorizer
 * allowed the call.
 */
public record Caller(String userId, String role) {
  public boolean isAdmin() {
    return "admin".equals(role);
  }

  public boolean isManager() {
    return "manager".equals(role);
  }

  public boolean isRider() {
    return "rider".equals(role);
  }

  /** Admin or manager: may see everyone's data. */
  public boolean isStaff() {
    return isAdmin() || isManager();
  }

  /** The caller, or null when the request carries no authorizer context (a public endpoint). */
  public static Caller of(APIGatewayProxyRequestEvent event) {
    var rc = event.getRequestContext();
    if (rc == null || rc.getAuthorizer() == null) return null;
    Map<String, Object> a = rc.getAuthorizer();
    Object id = a.get("userId");
    Object role = a.get("role");
    if (id == null || role == null) return null;
    return new Caller(id.toString(), role.toString());
  }
}
