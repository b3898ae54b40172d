package io.tracklane.backoffice.common;

import static io.tracklane.backoffice.common.PolicyEvaluator.Decision.ALLOW;
import static io.tracklane.backoffice.common.PolicyEvaluator.Decision.EXPLICIT_DENY;
import static io.tracklane.backoffice.common.PolicyEvaluator.Decision.IMPLICIT_DENY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {
  static final String BASE = "arn:aws:execute-api:local:000000000000:local/local";

  static Map<String, Object> policy(IamPolicyResponse.Statement... statements) {
    return IamPolicyResponse.builder()
        .withPrincipalId("u")
        .withPolicyDocument(
            IamPolicyResponse.PolicyDocument.builder()
                .withVersion(IamPolicyResponse.VERSION_2012_10_17)
                .withStatement(List.of(statements))
                .build())
        .build()
        .getPolicyDocument();
  }

  @Test
  void wildcardsMatchLikeIam() {
    assertTrue(PolicyEvaluator.matches(BASE + "/GET/routes/*", BASE + "/GET/routes/r1"));
    assertTrue(
        PolicyEvaluator.matches(BASE + "/GET/routes/*", BASE + "/GET/routes/r1/extra"),
        "* spans slashes");
    assertFalse(PolicyEvaluator.matches(BASE + "/GET/routes/*", BASE + "/GET/routes"));
    assertTrue(PolicyEvaluator.matches(BASE + "/*/tasks/*/claim", BASE + "/POST/tasks/t1/claim"));
    assertTrue(PolicyEvaluator.matches(BASE + "/GE?/me", BASE + "/GET/me"));
    assertFalse(PolicyEvaluator.matches(BASE + "/GET/me", BASE + "/GET/me/x"));
    assertTrue(PolicyEvaluator.matches("*", "anything"));
  }

  @Test
  void allowDenyAndNothing() {
    String arn = BASE + "/PUT/routes/r1";
    assertEquals(BASE + "/PUT/routes/r1", arn);
    assertEquals(
        ALLOW,
        PolicyEvaluator.evaluate(
            policy(IamPolicyResponse.allowStatement(BASE + "/PUT/routes/*")), arn));
    assertEquals(
        IMPLICIT_DENY,
        PolicyEvaluator.evaluate(
            policy(IamPolicyResponse.allowStatement(BASE + "/GET/routes/*")), arn));
    assertEquals(
        EXPLICIT_DENY,
        PolicyEvaluator.evaluate(
            policy(
                IamPolicyResponse.allowStatement(BASE + "/*"),
                IamPolicyResponse.denyStatement(BASE + "/PUT/*")),
            arn));
    assertEquals(IMPLICIT_DENY, PolicyEvaluator.evaluate(policy(), arn));
  }

  @Test
  void actionsMustCoverInvoke() {
    String arn = BASE + "/GET/me";
    Map<String, Object> other =
        Map.of(
            "Statement",
            List.of(
                Map.of(
                    "Effect",
                    "Allow",
                    "Action",
                    "execute-api:ManageConnections",
                    "Resource",
                    "*")));
    assertEquals(IMPLICIT_DENY, PolicyEvaluator.evaluate(other, arn));
    Map<String, Object> wildcard =
        Map.of(
            "Statement",
            List.of(
                Map.of(
                    "Effect",
                    "Allow",
                    "Action",
                    List.of("execute-api:*"),
                    "Resource",
                    List.of(BASE + "/GET/me"))));
    assertEquals(ALLOW, PolicyEvaluator.evaluate(wildcard, arn));
  }
}
