package io.tracklane.backoffice.auth;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.common.PolicyEvaluator;
import io.tracklane.core.auth.Permissions;
import io.tracklane.core.auth.Principal;
import io.tracklane.core.auth.TokenRejected;
import io.tracklane.core.auth.TokenVerifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code authorizer} function: an API Gateway Lambda authorizer (TOKEN or REQUEST type).
 * Verifies the bearer token against the back office's JWKS and answers with an IAM policy that
 * allows {@code execute-api:Invoke} on every operation the token's role may call ({@link
 * Permissions#forRole}), so API Gateway can cache one policy per token for all routes. Resource
 * ARNs are derived from the incoming {@code methodArn}: the partition, region, account, API id and
 * stage are copied from it, never written here.
 *
 * <p>A missing, malformed, forged or expired token fails with exactly {@code "Unauthorized"}, which
 * API Gateway turns into a 401. A valid token whose role may not call the requested operation gets
 * a policy without it, which API Gateway turns into a 403.
 */
public final class AuthorizerHandler
    implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponse> {
  private static final Logger log = LoggerFactory.getLogger(AuthorizerHandler.class);

  /** The message API Gateway maps to 401; must be exactly this. */
  public static final String UNAUTHORIZED = "Unauthorized";

  private final TokenVerifier verifier;

  /**
   * Lambda entry point (init phase): verification keys from {@code TRACKLANE_JWKS} and/or the
   * public part of {@code TRACKLANE_SIGNING_KEY}, read once here. Needs no database and no Vert.x.
   */
  public AuthorizerHandler() {
    this(BackofficeConfig.fromEnv());
  }

  public AuthorizerHandler(BackofficeContext ctx) {
    this(ctx.config());
  }

  public AuthorizerHandler(BackofficeConfig config) {
    this(
        TokenVerifier.fromJwks(
            TokenIssuer.verificationJwks(config),
            config.get(BackofficeSettings.JWT_ISSUER),
            config.get(BackofficeSettings.JWT_AUDIENCE)));
  }

  /** For tests: any verifier (e.g. one on a fixed clock). */
  public AuthorizerHandler(TokenVerifier verifier) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
  }

  @Override
  public IamPolicyResponse handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
    Principal principal = authenticate(authorization(event));
    try {
      return policyFor(principal, event.getMethodArn());
    } catch (IllegalArgumentException e) {
      // A gateway that sends no usable methodArn gets no access (fail closed).
      log.error("authorizer got an unusable methodArn: {}", e.getMessage());
      throw unauthorized();
    }
  }

  /**
   * The principal of an {@code Authorization} header value ({@code Bearer <token>}); throws {@code
   * RuntimeException("Unauthorized")} if it is missing, not a bearer token, or invalid. Safe to
   * call from any thread, including a Vert.x event loop (verification is synchronous, CPU-only).
   */
  public Principal authenticate(String authorization) {
    String token = bearerToken(authorization);
    if (token == null) throw unauthorized();
    try {
      return verifier.verify(token);
    } catch (RuntimeException e) {
      // fail closed on anything; TokenRejected says why without the token, others only their type
      log.info(
          "token refused: {}",
          e instanceof TokenRejected ? e.getMessage() : e.getClass().getSimpleName());
      throw unauthorized();
    }
  }

  /** The token of {@code Bearer <token>} (scheme case-insensitive), or null. */
  public static String bearerToken(String authorization) {
    if (authorization == null) return null;
    String value = authorization.trim();
    int space = value.indexOf(' ');
    if (space <= 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) return null;
    String token = value.substring(space + 1).trim();
    return token.isEmpty() || token.indexOf(' ') >= 0 ? null : token;
  }

  /**
   * The IAM policy for {@code principal}, with resource ARNs built from {@code methodArn} ({@code
   * arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>}).
   *
   * <p>One Allow statement lists every operation of the role. IAM's {@code *} also matches {@code
   * /} and literal segments, so an allowed {@code GET/tasks/*} would also cover {@code
   * GET/tasks/x/events}, and {@code GET/riders/*}{@code /earnings} would cover {@code
   * GET/riders/me/earnings}; each such operation the role may <em>not</em> call gets an explicit
   * Deny (which wins over any Allow). A role without operations (unknown) gets a Deny on the whole
   * stage.
   *
   * @throws IllegalArgumentException if {@code methodArn} is not an execute-api method ARN
   */
  public static IamPolicyResponse policyFor(Principal principal, String methodArn) {
    String prefix = stagePrefix(methodArn);
    List<Permissions.Operation> allowed = Permissions.forRole(principal.role());
    List<IamPolicyResponse.Statement> statements = new ArrayList<>();
    if (allowed.isEmpty()) {
      statements.add(statement(IamPolicyResponse.DENY, List.of(prefix + "*")));
    } else {
      statements.add(
          statement(
              IamPolicyResponse.ALLOW, allowed.stream().map(op -> prefix + resource(op)).toList()));
      List<String> denied = overlaps(allowed).stream().map(op -> prefix + resource(op)).toList();
      if (!denied.isEmpty()) statements.add(statement(IamPolicyResponse.DENY, denied));
    }
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("userId", principal.subject());
    context.put("role", principal.role());
    return IamPolicyResponse.builder()
        .withPrincipalId(principal.subject())
        .withPolicyDocument(
            IamPolicyResponse.PolicyDocument.builder()
                .withVersion(IamPolicyResponse.VERSION_2012_10_17)
                .withStatement(statements)
                .build())
        .withContext(context)
        .build();
  }

  /** {@code <METHOD>/<path without the leading slash, each {param} → *>}. */
  static String resource(Permissions.Operation op) {
    String path = op.path().startsWith("/") ? op.path().substring(1) : op.path();
    return op.method() + "/" + path.replaceAll("\\{[^/}]+}", "*");
  }

  /**
   * The protected operations outside {@code allowed} that an allowed resource pattern would
   * nevertheless match, and whose own pattern matches none of the allowed operations (so denying
   * them cannot take away anything the role may do).
   */
  static List<Permissions.Operation> overlaps(List<Permissions.Operation> allowed) {
    List<Permissions.Operation> result = new ArrayList<>();
    for (Permissions.Operation other : Permissions.protectedOperations()) {
      if (allowed.contains(other)) continue;
      String sample = sample(other);
      boolean covered =
          allowed.stream().anyMatch(op -> PolicyEvaluator.matches(resource(op), sample));
      boolean harmless =
          allowed.stream().noneMatch(op -> PolicyEvaluator.matches(resource(other), sample(op)));
      if (covered && harmless) result.add(other);
    }
    return result;
  }

  /** A concrete request path of the operation (each parameter a value no literal segment has). */
  private static String sample(Permissions.Operation op) {
    String path = op.path().startsWith("/") ? op.path().substring(1) : op.path();
    return op.method() + "/" + path.replaceAll("\\{[^/}]+}", "p4r4m-v4lu3");
  }

  private static IamPolicyResponse.Statement statement(String effect, List<String> resources) {
    return IamPolicyResponse.Statement.builder()
        .withEffect(effect)
        .withAction(IamPolicyResponse.EXECUTE_API_INVOKE)
        .withResource(resources)
        .build();
  }

  /**
   * Everything of {@code methodArn} up to and including {@code <stage>/}, e.g. {@code
   * arn:<partition>:execute-api:<region>:<account>:<apiId>/<stage>/}.
   */
  public static String stagePrefix(String methodArn) {
    if (methodArn == null) throw new IllegalArgumentException("methodArn is missing");
    String[] parts = methodArn.split(":", 6);
    if (parts.length != 6
        || !"arn".equals(parts[0])
        || parts[1].isEmpty()
        || !"execute-api".equals(parts[2])) {
      throw new IllegalArgumentException("not an execute-api ARN: " + methodArn);
    }
    String resource = parts[5];
    int apiEnd = resource.indexOf('/');
    int stageEnd = apiEnd < 0 ? -1 : resource.indexOf('/', apiEnd + 1);
    if (apiEnd <= 0 || stageEnd <= apiEnd + 1) {
      throw new IllegalArgumentException("methodArn has no <apiId>/<stage>/: " + methodArn);
    }
    return methodArn.substring(0, methodArn.length() - resource.length() + stageEnd + 1);
  }

  /**
   * Whether {@code policy} lets its principal invoke {@code methodArn}, evaluated as API Gateway
   * does ({@link PolicyEvaluator}: an explicit Deny wins; {@code *} matches any run of characters,
   * {@code ?} one).
   */
  public static boolean permits(IamPolicyResponse policy, String methodArn) {
    if (policy == null || policy.getPolicyDocument() == null) return false;
    return PolicyEvaluator.evaluate(policy.getPolicyDocument(), methodArn)
        == PolicyEvaluator.Decision.ALLOW;
  }

  private static String authorization(APIGatewayCustomAuthorizerEvent event) {
    if (event == null) return null;
    if ("TOKEN".equalsIgnoreCase(event.getType())
        || (event.getType() == null && event.getAuthorizationToken() != null)) {
      return event.getAuthorizationToken();
    }
    Map<String, String> headers = event.getHeaders();
    if (headers == null) return null;
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if ("Authorization".equalsIgnoreCase(e.getKey())) return e.getValue();
    }
    return null;
  }

  private static RuntimeException unauthorized() {
    return new RuntimeException(UNAUTHORIZED);
  }
}
