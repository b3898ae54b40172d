package io.tracklane.backoffice.localapi;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import io.tracklane.core.auth.Permissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only REQUEST authorizer shaped like the real one: the policy allows every operation the role
 * may call ({@link Permissions}), with resources derived from the incoming methodArn. Tokens:
 * {@code Bearer good-<role>[.<nonce>]}; {@code Bearer deny-<role>[.<nonce>]} additionally denies
 * {@code PUT /routes/*} explicitly; {@code Bearer boom} fails; anything else is {@code
 * Unauthorized}. Counts its invocations.
 */
final class TestAuthorizer
    implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponse> {
  final AtomicInteger calls = new AtomicInteger();
  final List<APIGatewayCustomAuthorizerEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public IamPolicyResponse handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
    calls.incrementAndGet();
    events.add(event);
    String header = null;
    for (var e : event.getHeaders().entrySet()) {
      if (e.getKey().equalsIgnoreCase("Authorization")) header = e.getValue();
    }
    if ("Bearer boom".equals(header)) throw new IllegalStateException("key store unreachable");
    if (header == null
        || !(header.startsWith("Bearer good-") || header.startsWith("Bearer deny-"))) {
      throw new RuntimeException("Unauthorized");
    }
    boolean deny = header.startsWith("Bearer deny-");
    String rest = header.substring("Bearer good-".length());
    String role = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
    if (Permissions.forRole(role).isEmpty()) throw new RuntimeException("Unauthorized");

    // arn:…:execute-api:region:account:apiId/stage/METHOD/path → arn:…:apiId/stage
    String[] parts = event.getMethodArn().split("/");
    String base = parts[0] + "/" + parts[1];
    List<IamPolicyResponse.Statement> statements = new ArrayList<>();
    for (Permissions.Operation op : Permissions.forRole(role)) {
      statements.add(
          IamPolicyResponse.allowStatement(
              base + "/" + op.method() + op.path().replaceAll("\\{[^}]+}", "*")));
    }
    if (deny) statements.add(IamPolicyResponse.denyStatement(base + "/PUT/routes/*"));
    return IamPolicyResponse.builder()
        .withPrincipalId("user-" + role)
        .withPolicyDocument(
            IamPolicyResponse.PolicyDocument.builder()
                .withVersion(IamPolicyResponse.VERSION_2012_10_17)
                .withStatement(statements)
                .build())
        .withContext(Map.of("userId", "user-" + role, "role", role))
        .build();
  }
}
