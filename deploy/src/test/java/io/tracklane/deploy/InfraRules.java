package io.tracklane.deploy;

import static io.tracklane.deploy.HclText.attribute;
import static io.tracklane.deploy.HclText.block;
import static io.tracklane.deploy.HclText.listItems;
import static io.tracklane.deploy.HclText.resources;
import static io.tracklane.deploy.HclText.unquote;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of issue 17 as functions of Terraform code (without comments): each returns what breaks
 * the rule, so InfraTerraformTest runs it on infra-terraform/ (nothing) and on an inline snippet of
 * the old code (something).
 */
final class InfraRules {
  private InfraRules() {}

  /** API Gateway's integration timeout: a function it invokes must time out first. */
  static final int API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS = 29;

  record Partition(String id, String reverseDnsPrefix, String region) {}

  static final Partition AWS = new Partition("aws", "com.amazonaws", "eu-west-1");
  static final Partition AWS_CN = new Partition("aws-cn", "cn.com.amazonaws", "cn-north-1");

  /** One endpoint as AWS names it. */
  record EndpointName(Partition partition, String service, String type, String name) {}

  /**
   * The names AWS gives (aws-cn: AWS CDK's VPC_ENDPOINT_SERVICE_EXCEPTIONS for cn-north-1 lists
   * ecr.api, ecr.dkr and sqs under cn.com.amazonaws, not ssm or logs; the DynamoDB and S3 gateway
   * endpoints are com.amazonaws, eksctl issue 3081).
   */
  static final List<EndpointName> ENDPOINT_NAMES =
      List.of(
          new EndpointName(AWS_CN, "dynamodb", "Gateway", "com.amazonaws.cn-north-1.dynamodb"),
          new EndpointName(AWS_CN, "s3", "Gateway", "com.amazonaws.cn-north-1.s3"),
          new EndpointName(AWS_CN, "ssm", "Interface", "com.amazonaws.cn-north-1.ssm"),
          new EndpointName(AWS_CN, "logs", "Interface", "com.amazonaws.cn-north-1.logs"),
          new EndpointName(AWS_CN, "ecr.api", "Interface", "cn.com.amazonaws.cn-north-1.ecr.api"),
          new EndpointName(AWS_CN, "ecr.dkr", "Interface", "cn.com.amazonaws.cn-north-1.ecr.dkr"),
          new EndpointName(AWS_CN, "sqs", "Interface", "cn.com.amazonaws.cn-north-1.sqs"),
          new EndpointName(AWS, "dynamodb", "Gateway", "com.amazonaws.eu-west-1.dynamodb"),
          new EndpointName(AWS, "s3", "Gateway", "com.amazonaws.eu-west-1.s3"),
          new EndpointName(AWS, "ssm", "Interface", "com.amazonaws.eu-west-1.ssm"),
          new EndpointName(AWS, "logs", "Interface", "com.amazonaws.eu-west-1.logs"),
          new EndpointName(AWS, "ecr.api", "Interface", "com.amazonaws.eu-west-1.ecr.api"),
          new EndpointName(AWS, "ecr.dkr", "Interface", "com.amazonaws.eu-west-1.ecr.dkr"),
          new EndpointName(AWS, "sqs", "Interface", "com.amazonaws.eu-west-1.sqs"));

  // ---- item 1: VPC endpoint service names ----

  static List<String> endpointNameProblems(String networkCode) {
    List<String> problems = new ArrayList<>();
    for (EndpointName e : ENDPOINT_NAMES) {
      Set<String> names = endpointNames(networkCode, e.service(), e.type(), e.partition());
      if (!names.contains(e.name())) {
        problems.add(
            e.partition().id()
                + " "
                + e.service()
                + " ("
                + e.type()
                + "): AWS names it "
                + e.name()
                + ", the code asks for "
                + names);
      }
    }
    return problems;
  }

  /** The names the code may create the endpoint with (plan-time lookups: every candidate). */
  static Set<String> endpointNames(String code, String service, String type, Partition p) {
    String resource = type.equals("Gateway") ? service : "interface";
    Optional<String> block = block(code, "resource \"aws_vpc_endpoint\" \"" + resource + "\"");
    if (block.isEmpty()) return Set.of();
    if (!type.equals(unquote(attribute(block.get(), "vpc_endpoint_type").orElse("")))) {
      return Set.of();
    }
    String expression = attribute(block.get(), "service_name").orElse("");
    Matcher lookup =
        Pattern.compile("data\\.aws_vpc_endpoint_service\\.(\\w+)\\[[^\\]]*\\]\\.service_name")
            .matcher(expression);
    if (!lookup.matches()) return Set.of(evaluate(expression, code, service, p, Map.of()));
    Optional<String> data =
        block(code, "data \"aws_vpc_endpoint_service\" \"" + lookup.group(1) + "\"");
    if (data.isEmpty() || !type.equals(unquote(attribute(data.get(), "service_type").orElse("")))) {
      return Set.of();
    }
    Matcher filter =
        Pattern.compile(
                "values\\s*=\\s*\\[\\s*for\\s+(\\w+)\\s+in\\s+local\\.(\\w+)\\s*:\\s*\"([^\"]*)\"\\s*\\]")
            .matcher(data.get());
    if (!filter.find()) return Set.of();
    Set<String> names = new LinkedHashSet<>();
    for (String candidate : listItems(attribute(code, filter.group(2)).orElse("[]"))) {
      String prefix = evaluate(candidate, code, service, p, Map.of());
      names.add(
          evaluate(
              "\"" + filter.group(3) + "\"", code, service, p, Map.of(filter.group(1), prefix)));
    }
    return names;
  }

  private static String evaluate(
      String expression, String code, String service, Partition p, Map<String, String> vars) {
    String s = unquote(expression);
    if (s.equals("data.aws_partition.current.reverse_dns_prefix")) return p.reverseDnsPrefix();
    for (int depth = 0; depth < 5; depth++) {
      Matcher local = Pattern.compile("\\$\\{local\\.(\\w+)\\}").matcher(s);
      if (!local.find()) break;
      String value = evaluate(attribute(code, local.group(1)).orElse("?"), code, service, p, vars);
      s = s.substring(0, local.start()) + value + s.substring(local.end());
    }
    s =
        s.replace("${data.aws_partition.current.reverse_dns_prefix}", p.reverseDnsPrefix())
            .replace("${data.aws_region.current.name}", p.region())
            .replace("${each.key}", service)
            .replace("${each.value}", service);
    for (var v : vars.entrySet()) s = s.replace("${" + v.getKey() + "}", v.getValue());
    return s;
  }

  // ---- item 3: ordering and versions ----

  /** The ECS service waits for every listener that may forward to its target groups. */
  static List<String> ecsServiceListenerProblems(String gatewayCode) {
    List<String> problems = new ArrayList<>();
    String service =
        block(gatewayCode, "resource \"aws_ecs_service\" \"gateway\"")
            .orElseThrow(() -> new AssertionError("no aws_ecs_service.gateway"));
    List<String> dependsOn = listItems(attribute(service, "depends_on").orElse("[]"));
    for (String[] listener : resources(gatewayCode, "aws_lb_listener")) {
      if (!dependsOn.contains("aws_lb_listener." + listener[0])) {
        problems.add("aws_ecs_service.gateway does not depend on aws_lb_listener." + listener[0]);
      }
    }
    if (resources(gatewayCode, "aws_lb_listener").stream().noneMatch(l -> l[0].equals("https"))) {
      problems.add("no aws_lb_listener.https");
    }
    return problems;
  }

  /** The migrations run once the database, the proxy's target, NAT and the SSM endpoint exist. */
  static List<String> migrationOrderProblems(String backofficeCode, String envMainCode) {
    List<String> problems = new ArrayList<>();
    String invocation =
        block(backofficeCode, "resource \"aws_lambda_invocation\" \"on_deploy\"")
            .orElseThrow(() -> new AssertionError("no aws_lambda_invocation.on_deploy"));
    boolean waits = false;
    for (String dep : listItems(attribute(invocation, "depends_on").orElse("[]"))) {
      Matcher data = Pattern.compile("terraform_data\\.(\\w+)").matcher(dep);
      if (data.matches()) {
        String input =
            block(backofficeCode, "resource \"terraform_data\" \"" + data.group(1) + "\"")
                .flatMap(b -> attribute(b, "input"))
                .orElse("");
        waits |= input.equals("var.migrations_wait_for");
      }
    }
    if (!waits) problems.add("the migrations invocation does not wait for var.migrations_wait_for");
    String call = block(envMainCode, "module \"backoffice\"").orElse("");
    for (String needed :
        List.of(
            "module.data.db_instance_id",
            "module.data.db_proxy_target_id",
            "module.network.nat_route_ids",
            "module.network.ssm_endpoint_id")) {
      Optional<String> wait = block(call, "migrations_wait_for =");
      if (wait.isEmpty() || !wait.get().contains(needed)) {
        problems.add("module backoffice: migrations_wait_for lacks " + needed);
      }
    }
    return problems;
  }

  private static final Pattern REQUIRED_VERSION =
      Pattern.compile("required_version\\s*=\\s*\">=\\s*(\\d+)\\.(\\d+)");
  private static final Pattern PROVIDER_VERSION =
      Pattern.compile("source\\s*=\\s*\"([^\"]+)\"\\s*\\n\\s*version\\s*=\\s*\"([^\"]+)\"");

  /**
   * Terraform >= 1.10 wherever the backend uses use_lockfile (S3-native locking came in 1.10), and
   * every provider has an upper bound.
   */
  static List<String> versionProblems(Map<String, String> versionFiles, boolean useLockfile) {
    List<String> problems = new ArrayList<>();
    versionFiles.forEach(
        (file, code) -> {
          Matcher required = REQUIRED_VERSION.matcher(code);
          if (!required.find()) {
            problems.add(file + ": no required_version >= x.y");
          } else if (useLockfile
              && Integer.parseInt(required.group(1)) * 1000 + Integer.parseInt(required.group(2))
                  < 1010) {
            problems.add(
                file + ": required_version " + required.group() + " but use_lockfile needs 1.10");
          }
          for (Matcher p = PROVIDER_VERSION.matcher(code); p.find(); ) {
            if (!p.group(2).contains("<")) {
              problems.add(file + ": " + p.group(1) + " \"" + p.group(2) + "\" has no upper bound");
            }
          }
        });
    return problems;
  }

  // ---- item 4: TLS by default ----

  private static final Set<String> PLAINTEXT = Set.of("HTTP", "TCP", "UDP", "TCP_UDP");

  /**
   * A plaintext listener exists (count) or forwards (default action) only when an allow_plaintext_*
   * variable says so; every load balancer fails the plan without a certificate unless plaintext is
   * allowed.
   */
  static List<String> plaintextListenerProblems(String gatewayCode) {
    List<String> problems = new ArrayList<>();
    for (String[] listener : resources(gatewayCode, "aws_lb_listener")) {
      String protocol = unquote(attribute(listener[1], "protocol").orElse(""));
      if (!PLAINTEXT.contains(protocol)) continue;
      if (allowsPlaintext(attribute(listener[1], "count").orElse(""), gatewayCode)) continue;
      String action = attribute(listener[1], "type").orElse("");
      if (protocol.equals("HTTP")
          && (action.equals("\"redirect\"")
              || (action.contains("\"forward\"") && allowsPlaintext(action, gatewayCode)))) {
        continue;
      }
      problems.add(
          "aws_lb_listener."
              + listener[0]
              + ": plain "
              + protocol
              + " without an allow_plaintext_* variable");
    }
    for (String[] lb : resources(gatewayCode, "aws_lb")) {
      Optional<String> precondition = block(lb[1], "precondition");
      if (precondition.isEmpty()
          || !precondition.get().contains("certificate_arn != null")
          || !allowsPlaintext(precondition.get(), gatewayCode)) {
        problems.add(
            "aws_lb."
                + lb[0]
                + ": no precondition failing the plan without a certificate unless plaintext is allowed");
      }
    }
    return problems;
  }

  private static boolean allowsPlaintext(String expression, String code) {
    if (expression.contains("var.allow_plaintext_")) return true;
    for (Matcher l = Pattern.compile("local\\.(\\w+)").matcher(expression); l.find(); ) {
      if (attribute(code, l.group(1)).orElse("").contains("var.allow_plaintext_")) return true;
    }
    return false;
  }

  /** Postgres forces TLS, the proxy requires it, and the URLs the clients get ask for it. */
  static List<String> databaseTlsProblems(String dataCode) {
    List<String> problems = new ArrayList<>();
    if (!Pattern.compile("name\\s*=\\s*\"rds\\.force_ssl\"\\s*\\n\\s*value\\s*=\\s*\"1\"")
        .matcher(dataCode)
        .find()) {
      problems.add("the parameter group does not set rds.force_ssl = 1");
    }
    List<String[]> proxies = resources(dataCode, "aws_db_proxy");
    if (proxies.isEmpty()) problems.add("no aws_db_proxy");
    for (String[] proxy : proxies) {
      if (!attribute(proxy[1], "require_tls").orElse("").equals("true")) {
        problems.add("aws_db_proxy." + proxy[0] + ": require_tls is not true");
      }
    }
    for (String output : List.of("gateway_pg_url", "lambda_pg_url")) {
      String value =
          block(dataCode, "output \"" + output + "\"")
              .flatMap(b -> attribute(b, "value"))
              .orElse("");
      if (!value.contains("sslmode=require")) problems.add(output + " lacks sslmode=require");
    }
    return problems;
  }

  // ---- item 5: API timeouts ----

  /** Every function API Gateway invokes (api, and the authorizer) times out before it does. */
  static List<String> apiTimeoutProblems(LambdaUnits units) {
    List<String> problems = new ArrayList<>();
    units
        .functions()
        .values()
        .forEach(
            fn -> {
              if ((fn.api() || fn.name().equals("authorizer"))
                  && fn.timeoutSeconds() >= API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS) {
                problems.add(
                    fn.name()
                        + ": timeout "
                        + fn.timeoutSeconds()
                        + " s, not below API Gateway's "
                        + API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS
                        + " s integration timeout");
              }
            });
    return problems;
  }

  // ---- item 2: the gateway's keys without the public API ----

  static List<String> gatewayJwksProblems(String gatewayCode) {
    List<String> problems = new ArrayList<>();
    if (!Pattern.compile("TRACKLANE_JWKS_SSM_PARAMETER\\s*=\\s*var\\.jwks_parameter_name")
        .matcher(gatewayCode)
        .find()) {
      problems.add("the task is not given TRACKLANE_JWKS_SSM_PARAMETER");
    }
    boolean granted = false;
    for (Matcher doc =
            Pattern.compile("data\\s+\"aws_iam_policy_document\"\\s+\"(\\w+)\"")
                .matcher(gatewayCode);
        doc.find(); ) {
      String text =
          block(gatewayCode, "data \"aws_iam_policy_document\" \"" + doc.group(1) + "\"").get();
      boolean readsJwks =
          Pattern.compile(
                  "actions\\s*=\\s*\\[\"ssm:GetParameter\"\\]\\s*\\n\\s*resources\\s*=\\s*\\[var\\.jwks_parameter_arn\\]")
              .matcher(text)
              .find();
      boolean onTaskRole =
          Pattern.compile(
                  "role\\s*=\\s*aws_iam_role\\.task\\.id\\s*\\n\\s*policy\\s*=\\s*data\\.aws_iam_policy_document\\."
                      + doc.group(1)
                      + "(\\[0\\])?\\.json")
              .matcher(gatewayCode)
              .find();
      granted |= readsJwks && onTaskRole;
    }
    if (!granted) {
      problems.add("the task role may not ssm:GetParameter exactly var.jwks_parameter_arn");
    }
    return problems;
  }

  // ---- items 6, 7, 8 ----

  /** The fixes table and the SSM parameters are named after the stack (var.name). */
  static List<String> stackNameProblems(String dataCode) {
    List<String> problems = new ArrayList<>();
    List<String[]> named = new ArrayList<>(resources(dataCode, "aws_dynamodb_table"));
    named.addAll(resources(dataCode, "aws_ssm_parameter"));
    for (String[] r : named) {
      String name = resolveLocals(attribute(r[1], "name").orElse(""), dataCode);
      if (!name.contains("var.name")) problems.add(r[0] + ": name " + name + " ignores var.name");
    }
    return problems;
  }

  private static String resolveLocals(String expression, String code) {
    String s = expression;
    for (int depth = 0; depth < 5; depth++) {
      Matcher l = Pattern.compile("local\\.(\\w+)").matcher(s);
      if (!l.find()) break;
      s =
          s.substring(0, l.start())
              + "("
              + attribute(code, l.group(1)).orElse("?")
              + ")"
              + s.substring(l.end());
    }
    return s;
  }

  /** With a customer managed key, the execution role may decrypt the password it injects. */
  static List<String> gatewayKmsProblems(String gatewayCode) {
    String secrets =
        block(gatewayCode, "data \"aws_iam_policy_document\" \"execution_secrets\"").orElse("");
    return secrets.contains("\"kms:Decrypt\"") && secrets.contains("var.kms_key_arn")
        ? List.of()
        : List.of("execution_secrets: no kms:Decrypt on var.kms_key_arn");
  }

  /** The authorizer's result cache is a variable, 60 s or less by default, applied to the body. */
  static List<String> authorizerCacheProblems(String backofficeCode) {
    List<String> problems = new ArrayList<>();
    String body =
        block(backofficeCode, "resource \"aws_api_gateway_rest_api\" \"backoffice\"")
            .flatMap(b -> attribute(b, "body"))
            .map(b -> resolveLocals(b, backofficeCode))
            .orElse("");
    if (!body.contains("var.authorizer_result_ttl_seconds")) {
      problems.add("the API body does not take var.authorizer_result_ttl_seconds");
    }
    String def =
        block(backofficeCode, "variable \"authorizer_result_ttl_seconds\"")
            .flatMap(b -> attribute(b, "default"))
            .orElse("none");
    if (!def.matches("\\d+") || Integer.parseInt(def) > 60) {
      problems.add("authorizer_result_ttl_seconds defaults to " + def + ", not at most 60");
    }
    return problems;
  }
}
