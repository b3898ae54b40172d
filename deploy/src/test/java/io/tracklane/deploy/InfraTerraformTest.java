package io.tracklane.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.localapi.LocalBackoffice;
import io.tracklane.backoffice.localapi.OpenApiMerger;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static checks of infra-terraform/: no provider, no cloud, no `terraform init`. */
class InfraTerraformTest {
  private static final Pattern VAR = Pattern.compile("(?<![\\w.])var\\.([A-Za-z_][\\w-]*)");
  private static final Pattern LOCAL = Pattern.compile("(?<![\\w.])local\\.([A-Za-z_][\\w-]*)");
  private static final Pattern MODULE_OUTPUT =
      Pattern.compile("(?<![\\w.])module\\.([A-Za-z_][\\w-]*)\\.([A-Za-z_][\\w-]*)");

  private static final Map<Path, TfModule> modules = new LinkedHashMap<>();

  @BeforeAll
  static void parseEveryModule() throws Exception {
    for (Path dir : TfModule.moduleDirs()) modules.put(dir, new TfModule(dir));
  }

  private static TfModule module(String relative) {
    TfModule m = modules.get(Repo.INFRA.resolve(relative).normalize());
    if (m == null) throw new AssertionError("no Terraform module at infra-terraform/" + relative);
    return m;
  }

  @Test
  void terraformFmtCheckPasses() {
    Repo.requireTool("terraform", "terraform fmt -check needs it");
    Repo.Run run =
        Repo.run(Repo.ROOT, "terraform", "fmt", "-check", "-recursive", "-diff", "infra-terraform");
    assertEquals(
        0, run.exit(), "terraform fmt -recursive infra-terraform would change:\n" + run.output());
  }

  @Test
  void everyTfFileParsesAndEveryModuleIsThere() {
    long files = modules.values().stream().mapToLong(m -> m.parsed.size()).sum();
    assertEquals(Repo.files(Repo.INFRA, ".tf").size(), files, "every .tf parsed by hcl4j");
    for (String dir :
        List.of(
            "modules/network",
            "modules/data",
            "modules/gateway",
            "modules/backoffice",
            "modules/web",
            "envs/global",
            "envs/china")) {
      assertFalse(module(dir).parsed.isEmpty(), dir);
    }
  }

  @Test
  void everyReferenceResolves() {
    List<String> problems = new ArrayList<>();
    for (TfModule m : modules.values()) {
      String where = Repo.INFRA.relativize(m.dir).toString();
      m.code.forEach(
          (file, code) -> {
            String f = where + "/" + file.getFileName();
            for (Matcher v = VAR.matcher(code); v.find(); ) {
              if (!m.variables.contains(v.group(1)))
                problems.add(f + ": var." + v.group(1) + " is not declared");
            }
            for (Matcher l = LOCAL.matcher(code); l.find(); ) {
              if (!m.locals.containsKey(l.group(1)))
                problems.add(f + ": local." + l.group(1) + " is not defined");
            }
            for (Matcher o = MODULE_OUTPUT.matcher(code); o.find(); ) {
              String call = o.group(1);
              if (!m.moduleCalls.containsKey(call)) {
                problems.add(f + ": module." + call + " is not called here");
                continue;
              }
              TfModule target = modules.get(m.source(call));
              if (target == null) continue; // reported below
              if (!target.outputs.contains(o.group(2))) {
                problems.add(
                    f
                        + ": module."
                        + call
                        + "."
                        + o.group(2)
                        + " is not an output of "
                        + Repo.INFRA.relativize(target.dir));
              }
            }
          });
      for (String call : m.moduleCalls.keySet()) {
        Path source = m.source(call);
        if (!Files.isDirectory(source) || !modules.containsKey(source)) {
          problems.add(where + ": module " + call + " source " + source + " has no .tf files");
          continue;
        }
        // every argument given to a module is one of its variables, every required one is given
        TfModule target = modules.get(source);
        for (String arg : m.moduleCalls.get(call).keySet()) {
          if (!List.of("source", "version", "providers", "count", "for_each", "depends_on")
                  .contains(arg)
              && !target.variables.contains(arg)) {
            problems.add(
                where + ": module " + call + " sets " + arg + ", which it does not declare");
          }
        }
        for (String variable : target.variables) {
          if (!declaresDefault(target, variable)
              && !m.moduleCalls.get(call).containsKey(variable)) {
            problems.add(where + ": module " + call + " misses the required variable " + variable);
          }
        }
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @SuppressWarnings("unchecked")
  private static boolean declaresDefault(TfModule m, String variable) {
    for (Map<String, Object> doc : m.parsed.values()) {
      Map<String, Object> vars = (Map<String, Object>) doc.getOrDefault("variable", Map.of());
      if (vars.containsKey(variable))
        return ((Map<String, Object>) vars.get(variable)).containsKey("default");
    }
    return false;
  }

  @Test
  void noHandWrittenPartitionOrEndpoint() {
    List<String> hits = new ArrayList<>();
    for (Path p : Repo.files(Repo.INFRA)) {
      String text = Repo.read(p);
      for (String bad : List.of("arn:aws:", "amazonaws.com")) {
        if (text.contains(bad)) hits.add(Repo.INFRA.relativize(p) + " contains " + bad);
      }
    }
    assertTrue(
        hits.isEmpty(),
        "use data.aws_partition / aws_region / aws_service_principal instead:\n"
            + String.join("\n", hits));
  }

  @Test
  @SuppressWarnings("unchecked")
  void vpcEndpointServiceNamesAreTheOnesAwsGivesPerPartition() {
    TfModule network = module("modules/network");
    assertEquals(List.of(), InfraRules.endpointNameProblems(network.allCode()));
    List<String> interfaces = (List<String>) variableDefault(network, "interface_endpoints");
    assertTrue(
        interfaces.containsAll(List.of("ssm", "logs", "ecr.api", "ecr.dkr", "sqs")),
        "the interface endpoints of the table: " + interfaces);
    // the old rule (every name from reverse_dns_prefix) gives cn.com.amazonaws.cn-north-1.dynamodb,
    // .s3, .ssm and .logs, which do not exist
    String old =
        """
        locals {
          endpoint_prefix = "${data.aws_partition.current.reverse_dns_prefix}.${data.aws_region.current.name}"
        }
        resource "aws_vpc_endpoint" "dynamodb" {
          service_name      = "${local.endpoint_prefix}.dynamodb"
          vpc_endpoint_type = "Gateway"
        }
        resource "aws_vpc_endpoint" "s3" {
          service_name      = "${local.endpoint_prefix}.s3"
          vpc_endpoint_type = "Gateway"
        }
        resource "aws_vpc_endpoint" "interface" {
          for_each            = toset(var.interface_endpoints)
          service_name        = "${local.endpoint_prefix}.${each.value}"
          vpc_endpoint_type   = "Interface"
        }
        """;
    List<String> oldProblems = InfraRules.endpointNameProblems(old);
    assertEquals(4, oldProblems.size(), String.join("\n", oldProblems));
    assertTrue(
        oldProblems.get(0).contains("[cn.com.amazonaws.cn-north-1.dynamodb]"), oldProblems.get(0));
    // and a lookup that offers only the partition's prefix is wrong the same way
    String onlyPartitionPrefix =
        network
            .allCode()
            .replace(
                "distinct([data.aws_partition.current.reverse_dns_prefix, \"com.amazonaws\"])",
                "[data.aws_partition.current.reverse_dns_prefix]");
    assertEquals(4, InfraRules.endpointNameProblems(onlyPartitionPrefix).size());
  }

  @Test
  void servicePrincipalsComeFromTheProvider() {
    for (TfModule m : modules.values()) {
      Matcher literal =
          Pattern.compile("identifiers\\s*=\\s*\\[\\s*\"[a-z-]+\\.").matcher(m.allCode());
      assertFalse(literal.find(), Repo.INFRA.relativize(m.dir) + ": a literal service principal");
      Matcher service = Pattern.compile("Service\\s*=\\s*\"").matcher(m.allCode());
      assertFalse(service.find(), Repo.INFRA.relativize(m.dir) + ": a literal service principal");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyRestApiIsRegional() {
    int apis = 0;
    for (TfModule m : modules.values()) {
      for (var e : m.resources("aws_api_gateway_rest_api").entrySet()) {
        apis++;
        Map<String, Object> endpoint =
            (Map<String, Object>) e.getValue().get("endpoint_configuration");
        assertEquals(
            List.of("REGIONAL"), endpoint == null ? null : endpoint.get("types"), e.getKey());
      }
    }
    assertTrue(apis > 0, "no aws_api_gateway_rest_api found");
  }

  @Test
  void restApiBodyIsTheMergedOpenApiArtifact() {
    TfModule backoffice = module("modules/backoffice");
    String code = backoffice.allCode();
    assertTrue(
        code.contains("openapi_rendered = templatefile(local.openapi, local.openapi_placeholders)"),
        "body from the merged document");
    assertTrue(code.contains("body              = local.openapi_body"), "body from the document");
    assertTrue(
        code.contains("openapi   = \"${var.artifacts_dir}/openapi/backoffice.yaml\""),
        "the deploy build's openapi/backoffice.yaml");
    assertTrue(
        code.contains("authorizer_invoke_arn = aws_lambda_alias.live[\"authorizer\"].invoke_arn"),
        "authorizer placeholder");
  }

  @Test
  void lambdaFunctionsComeFromTheUnitsFile() {
    TfModule backoffice = module("modules/backoffice");
    var functions = backoffice.resources("aws_lambda_function");
    assertEquals(List.of("zip", "image"), List.copyOf(functions.keySet()));
    assertEquals("local.zip_functions", String.valueOf(functions.get("zip").get("for_each")));
    assertEquals("local.image_functions", String.valueOf(functions.get("image").get("for_each")));
    String code = backoffice.allCode();
    assertTrue(code.contains("handler          = \"${each.value.handler}::handleRequest\""));
    assertTrue(
        code.contains(
            "filename         = \"${var.artifacts_dir}/lambda/${local.catalog.units[each.value.unit].zip}\""));
    assertTrue(code.contains("image_uri     = var.ocr_image_uri"));
    assertTrue(code.contains("command = [\"${each.value.handler}::handleRequest\"]"));
    assertTrue(code.contains("catalog = jsondecode(file(var.lambda_units_file))"));
    for (String env : List.of("envs/global", "envs/china")) {
      TfModule e = module(env);
      assertTrue(
          Pattern.compile("lambda_units_file\\s+= local\\.lambda_units_file")
              .matcher(e.allCode())
              .find(),
          env);
      assertTrue(
          e.allCode()
              .contains(
                  "lambda_units_file = \"${local.repo_root}/deploy/src/main/resources/lambda-units.json\""),
          env);
      assertTrue(e.allCode().contains("repo_root         = \"${path.root}/../../..\""), env);
      assertTrue(
          Files.isRegularFile(
              e.dir.resolve("../../../deploy/src/main/resources/lambda-units.json").normalize()),
          env);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAccessOfTheUnitsFileHasStatementsAndSettings() {
    TfModule backoffice = module("modules/backoffice");
    Map<String, Object> statements =
        (Map<String, Object>) backoffice.locals.get("access_statements");
    Map<String, Object> environment =
        (Map<String, Object>) backoffice.locals.get("access_environment");
    LambdaUnits units = LambdaUnits.fromClasspath();
    units
        .functions()
        .values()
        .forEach(
            fn ->
                fn.access()
                    .forEach(
                        a -> {
                          assertTrue(
                              statements.containsKey(a),
                              fn.name() + ": access " + a + " has no IAM statements in iam.tf");
                          assertTrue(
                              environment.containsKey(a),
                              fn.name() + ": access " + a + " has no settings in environment.tf");
                        }));
  }

  @Test
  void textractOnlyWhereTheProviderIsTextract() {
    String iam = Repo.read(Repo.INFRA.resolve("modules/backoffice/iam.tf"));
    int action = iam.indexOf("\"textract:");
    assertTrue(action > 0, "the AnalyzeExpense statement");
    assertTrue(
        iam.substring(0, action).contains("ocr = var.ocr_provider == \"textract\" ? ["),
        "granted only with the textract provider");
    assertEquals(1, iam.split("\"textract:", -1).length - 1, "one textract action");
  }

  @Test
  @SuppressWarnings("unchecked")
  void chinaUsesTesseractAndHasNoTextractNorCodePipeline() throws Exception {
    TfModule china = module("envs/china");
    Map<String, Object> ocr = null;
    for (Map<String, Object> doc : china.parsed.values()) {
      var vars = (Map<String, Object>) doc.getOrDefault("variable", Map.of());
      if (vars.containsKey("ocr_provider")) ocr = (Map<String, Object>) vars.get("ocr_provider");
    }
    assertEquals("tesseract", ocr == null ? null : ocr.get("default"));
    assertEquals(
        "var.ocr_provider",
        String.valueOf(china.moduleCalls.get("backoffice").get("ocr_provider")));
    String tfvars = Repo.read(china.dir.resolve("terraform.tfvars.example"));
    assertTrue(
        tfvars.contains("ocr_provider  = \"tesseract\""),
        "terraform.tfvars.example selects tesseract");
    for (Path p : Repo.files(china.dir)) {
      String code = TfModule.withoutComments(Repo.read(p)).toLowerCase(Locale.ROOT);
      assertFalse(code.contains("textract:"), p + ": a Textract IAM action");
      assertFalse(
          code.contains("ocr_provider = \"textract\"")
              || code.contains("ocr_provider  = \"textract\""),
          p.toString());
    }
    // and nowhere a CodePipeline: China has none, global CI/CD uses the same CodeBuild flow
    for (TfModule m : modules.values()) {
      assertTrue(
          m.resources.keySet().stream().noneMatch(t -> t.startsWith("aws_codepipeline")),
          m.dir.toString());
    }
  }

  @Test
  void gatewayHealthChecksUseTheAdminPortWhichNoListenerForwardsTo() {
    TfModule gateway = module("modules/gateway");
    String code = gateway.allCode();
    Matcher checks = Pattern.compile("health_check\\s*\\{([^}]*)\\}").matcher(code);
    int found = 0;
    while (checks.find()) {
      found++;
      assertTrue(
          checks.group(1).matches("(?s).*\\bport\\s*=\\s*tostring\\(var\\.admin_port\\).*"),
          "a target group's health check on the admin port: " + checks.group(1));
    }
    assertEquals(2, found, "the HTTP and the MQTT target groups");
    assertTrue(code.contains("TRACKLANE_ADMIN_PORT"), "the task is told its admin port");
    gateway
        .resources("aws_lb_target_group")
        .forEach(
            (name, attrs) ->
                assertFalse(
                    String.valueOf(attrs.get("port")).contains("admin_port"),
                    name + ": no target group serves the admin port"));
    String network = module("modules/network").allCode();
    assertTrue(
        network.contains("gateway_admin_from_alb"),
        "the ALB's health checks may reach the admin port");
  }

  @Test
  @SuppressWarnings("unchecked")
  void webBucketIsPrivateVersionedAndEncrypted() {
    TfModule web = module("modules/web");
    assertEquals(Set.of("web"), web.resources("aws_s3_bucket").keySet(), "one pages bucket");
    Map<String, Object> block = web.resources("aws_s3_bucket_public_access_block").get("web");
    assertTrue(block != null, "public access blocked");
    for (String flag :
        List.of(
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets")) {
      assertEquals(true, block.get(flag), flag);
    }
    Map<String, Object> versioning = web.resources("aws_s3_bucket_versioning").get("web");
    assertEquals(
        "Enabled",
        ((Map<String, Object>) versioning.get("versioning_configuration")).get("status"),
        "versioned");
    assertTrue(
        web.resources("aws_s3_bucket_server_side_encryption_configuration").containsKey("web"),
        "encrypted");
    assertTrue(web.resources("aws_s3_bucket_ownership_controls").containsKey("web"), "no ACLs");
    String s3 = TfModule.withoutComments(Repo.read(web.dir.resolve("s3.tf")));
    assertTrue(s3.contains("aws:SecureTransport"), "TLS only");
    assertTrue(
        s3.contains("identifiers = [data.aws_service_principal.cloudfront.name]"),
        "CloudFront's principal from the provider, not written by hand");
    assertTrue(
        s3.contains("values   = [aws_cloudfront_distribution.web[0].arn]"),
        "only this distribution reads the bucket");
    assertTrue(web.allCode().contains("data \"aws_partition\" \"current\""), "partition");
  }

  @Test
  void cloudFrontIsOptionalWithOriginAccessControlAndOffInChina() {
    TfModule web = module("modules/web");
    assertEquals("false", String.valueOf(variableDefault(web, "cloudfront_enabled")));
    String cf = TfModule.withoutComments(Repo.read(web.dir.resolve("cloudfront.tf")));
    for (String type :
        List.of(
            "aws_cloudfront_distribution",
            "aws_cloudfront_origin_access_control",
            "aws_cloudfront_response_headers_policy",
            "aws_cloudfront_function")) {
      assertFalse(web.resources(type).isEmpty(), type);
      Matcher counted =
          Pattern.compile(
                  "resource \""
                      + type
                      + "\" \"\\w+\" \\{\\s*count\\s*=\\s*var\\.cloudfront_enabled \\? 1 : 0")
              .matcher(cf);
      assertTrue(counted.find(), type + " exists only when cloudfront_enabled");
    }
    assertTrue(cf.contains("signing_behavior                  = \"always\""), "OAC signs");
    assertTrue(cf.contains("signing_protocol                  = \"sigv4\""), "sigv4");
    assertTrue(
        cf.contains("origin_access_control_id = aws_cloudfront_origin_access_control.web[0].id"),
        "the bucket origin goes through the OAC");
    assertTrue(cf.contains("viewer_protocol_policy     = \"redirect-to-https\""), "HTTPS");
    String main = TfModule.withoutComments(Repo.read(web.dir.resolve("main.tf")));
    assertTrue(main.contains("\"script-src 'self'\""), "strict CSP on CloudFront too");
    assertFalse(main.contains("unsafe-inline") || main.contains("unsafe-eval"), "strict CSP");
    // one file per concern
    for (TfModule m : List.of(web)) {
      m.code.forEach(
          (file, code) -> {
            String name = file.getFileName().toString();
            if (!name.equals("cloudfront.tf"))
              assertFalse(code.contains("resource \"aws_cloudfront_"), name + ": CloudFront");
            if (!name.equals("s3.tf"))
              assertFalse(code.contains("resource \"aws_s3_"), name + ": S3");
          });
    }
    assertEquals(
        "true", String.valueOf(variableDefault(module("envs/global"), "web_cloudfront_enabled")));
    assertEquals(
        "false", String.valueOf(variableDefault(module("envs/china"), "web_cloudfront_enabled")));
    for (String env : List.of("envs/global", "envs/china")) {
      assertEquals(
          "var.web_cloudfront_enabled",
          String.valueOf(module(env).moduleCalls.get("web").get("cloudfront_enabled")),
          env);
    }
    String deployDoc = Repo.read(Repo.ROOT.resolve("docs/deploy.md"));
    assertTrue(
        deployDoc.contains("ICP")
            && deployDoc.contains("CloudFront")
            && deployDoc.contains("/dashboard/"),
        "docs/deploy.md says how the pages are served in China");
  }

  @Test
  void theEcsServiceWaitsForEveryListenerIncludingHttps() {
    assertEquals(
        List.of(), InfraRules.ecsServiceListenerProblems(module("modules/gateway").allCode()));
    String old =
        """
        resource "aws_lb_listener" "http" {}
        resource "aws_lb_listener" "https" {}
        resource "aws_lb_listener" "mqtt" {}
        resource "aws_lb_listener" "mqtt_tls" {}
        resource "aws_ecs_service" "gateway" {
          depends_on = [aws_lb_listener.mqtt, aws_lb_listener.http]
        }
        """;
    assertEquals(
        List.of(
            "aws_ecs_service.gateway does not depend on aws_lb_listener.https",
            "aws_ecs_service.gateway does not depend on aws_lb_listener.mqtt_tls"),
        InfraRules.ecsServiceListenerProblems(old));
  }

  @Test
  void theMigrationsWaitForTheDatabaseProxyTargetNatAndSsm() {
    String backoffice = module("modules/backoffice").allCode();
    for (String env : List.of("envs/global", "envs/china")) {
      assertEquals(
          List.of(), InfraRules.migrationOrderProblems(backoffice, module(env).allCode()), env);
    }
    String old =
        """
        resource "aws_lambda_invocation" "on_deploy" {
          function_name = aws_lambda_function.zip[each.key].function_name
          qualifier     = aws_lambda_function.zip[each.key].version
        }
        """;
    List<String> problems = InfraRules.migrationOrderProblems(old, "module \"backoffice\" {\n}\n");
    assertEquals(5, problems.size(), String.join("\n", problems));
  }

  @Test
  void requiredVersionMatchesUseLockfileAndEveryProviderIsBounded() {
    boolean lockfile = false;
    for (Path example : Repo.files(Repo.INFRA, "backend.hcl.example")) {
      lockfile |=
          Pattern.compile("(?m)^use_lockfile\\s*=\\s*true").matcher(Repo.read(example)).find();
    }
    assertTrue(lockfile, "the backend examples use S3-native locking");
    Map<String, String> versionFiles = new LinkedHashMap<>();
    for (Path p : Repo.files(Repo.INFRA, "versions.tf")) {
      versionFiles.put(Repo.INFRA.relativize(p).toString(), TfModule.withoutComments(Repo.read(p)));
    }
    assertEquals(7, versionFiles.size(), versionFiles.keySet().toString());
    assertEquals(List.of(), InfraRules.versionProblems(versionFiles, lockfile));
    String old =
        """
        terraform {
          required_version = ">= 1.6"
          required_providers {
            aws = {
              source  = "hashicorp/aws"
              version = ">= 5.60, < 6.0"
            }
            random = {
              source  = "hashicorp/random"
              version = ">= 3.6"
            }
          }
        }
        """;
    assertEquals(
        List.of(
            "versions.tf: required_version required_version = \">= 1.6 but use_lockfile needs 1.10",
            "versions.tf: hashicorp/random \">= 3.6\" has no upper bound"),
        InfraRules.versionProblems(Map.of("versions.tf", old), true));
  }

  @Test
  void noListenerIsPlaintextUnlessAVariableSaysSo() {
    TfModule gateway = module("modules/gateway");
    assertEquals(List.of(), InfraRules.plaintextListenerProblems(gateway.allCode()));
    for (String flag : List.of("allow_plaintext_mqtt", "allow_plaintext_http")) {
      assertEquals(false, variableDefault(gateway, flag), flag + ": TLS by default");
      assertTrue(variableDescription(gateway, flag).contains("in the clear"), flag);
      for (String env : List.of("envs/global", "envs/china")) {
        assertEquals(false, variableDefault(module(env), flag), env + ": " + flag);
        assertEquals(
            "var." + flag, String.valueOf(module(env).moduleCalls.get("gateway").get(flag)), env);
      }
    }
    assertEquals(8883, ((Number) variableDefault(gateway, "mqtt_tls_port")).intValue());
    String old =
        """
        resource "aws_lb" "http" {
          load_balancer_type = "application"
        }
        resource "aws_lb" "mqtt" {
          load_balancer_type = "network"
        }
        resource "aws_lb_listener" "http" {
          port     = 80
          protocol = "HTTP"
          default_action {
            type             = var.http_certificate_arn == null ? "forward" : "redirect"
          }
        }
        resource "aws_lb_listener" "mqtt" {
          port     = var.mqtt_port
          protocol = "TCP"
          default_action {
            type             = "forward"
          }
        }
        resource "aws_lb_listener" "mqtt_tls" {
          count    = var.mqtt_tls_certificate_arn == null ? 0 : 1
          protocol = "TLS"
        }
        """;
    List<String> problems = InfraRules.plaintextListenerProblems(old);
    assertEquals(4, problems.size(), String.join("\n", problems));
    assertTrue(problems.get(0).startsWith("aws_lb_listener.http: plain HTTP"), problems.get(0));
    assertTrue(problems.get(1).startsWith("aws_lb_listener.mqtt: plain TCP"), problems.get(1));
  }

  @Test
  void postgresForcesTlsTheProxyRequiresItAndTheUrlsAskForIt() {
    assertEquals(List.of(), InfraRules.databaseTlsProblems(module("modules/data").allCode()));
    String old =
        """
        resource "aws_db_parameter_group" "this" {
          parameter {
            name  = "rds.force_ssl"
            value = "0"
          }
        }
        resource "aws_db_proxy" "postgres" {
          require_tls            = false
        }
        output "gateway_pg_url" {
          value       = "postgresql://${var.db_username}@${aws_db_instance.postgres.endpoint}/${var.db_name}"
        }
        output "lambda_pg_url" {
          value       = "postgresql://${var.db_username}@${aws_db_proxy.postgres.endpoint}:5432/${var.db_name}"
        }
        """;
    assertEquals(
        List.of(
            "the parameter group does not set rds.force_ssl = 1",
            "aws_db_proxy.postgres: require_tls is not true",
            "gateway_pg_url lacks sslmode=require",
            "lambda_pg_url lacks sslmode=require"),
        InfraRules.databaseTlsProblems(old));
  }

  @Test
  void everyFunctionApiGatewayInvokesTimesOutBeforeIts29Seconds() {
    LambdaUnits units = LambdaUnits.fromClasspath();
    assertEquals(List.of(), InfraRules.apiTimeoutProblems(units));
    // report generation runs on the generator (invoked asynchronously by the API function) and on
    // the schedule-invoked function, which keep their long timeouts
    assertTrue(units.functions().get("report_schedule").timeoutSeconds() > 29, "report_schedule");
    assertTrue(units.functions().get("report_generator").timeoutSeconds() > 29, "report_generator");
    assertFalse(
        units.functions().get("report_generator").api(), "report_generator is not an API function");
    assertTrue(units.functions().get("reports").api(), "reports is the API function");
    // the old entries: tasks 30 s, reports 120 s
    String old =
        Repo.read(Repo.ROOT.resolve("deploy/src/main/resources/lambda-units.json"))
            .replace(
                "\"memory\": 1024, \"timeout\": 25, \"access\": [\"database\", \"fixes_read\"]",
                "\"memory\": 1024, \"timeout\": 30, \"access\": [\"database\", \"fixes_read\"]")
            .replaceFirst(
                "(ReportsHandler\", \"api\": true,\\s*\"memory\": 1024, \"timeout\": )20", "$1120");
    assertEquals(
        List.of(
            "tasks: timeout 30 s, not below API Gateway's 29 s integration timeout",
            "reports: timeout 120 s, not below API Gateway's 29 s integration timeout"),
        InfraRules.apiTimeoutProblems(LambdaUnits.parse(new JsonObject(old))));
  }

  @Test
  void inChinaTheGatewayReadsItsKeysFromSsmNotThePublicApi() {
    TfModule gateway = module("modules/gateway");
    assertEquals(List.of(), InfraRules.gatewayJwksProblems(gateway.allCode()));
    assertEquals(true, variableDefault(module("envs/china"), "gateway_jwks_from_ssm"));
    assertTrue(
        Pattern.compile(
                "jwks_parameter_arn\\s+= var\\.gateway_jwks_from_ssm \\? module\\.data\\.jwks_parameter_arn : null")
            .matcher(module("envs/china").allCode())
            .find(),
        "envs/china gives the gateway the parameter");
    assertTrue(
        module("modules/data").resources("aws_ssm_parameter").containsKey("jwks"),
        "the data module creates the JWKS parameter next to the signing key");
    String old =
        """
        locals {
          environment = merge({
            TRACKLANE_JWKS_URL           = var.jwks_url
          }, var.extra_environment)
        }
        data "aws_iam_policy_document" "task" {
          statement {
            actions   = ["dynamodb:BatchWriteItem", "dynamodb:Query", "dynamodb:DescribeTable"]
            resources = [var.fixes_table_arn, "${var.fixes_table_arn}/index/*"]
          }
        }
        resource "aws_iam_role_policy" "task" {
          role   = aws_iam_role.task.id
          policy = data.aws_iam_policy_document.task.json
        }
        """;
    assertEquals(2, InfraRules.gatewayJwksProblems(old).size());
    String deployDoc = Repo.read(Repo.ROOT.resolve("docs/deploy.md"));
    assertTrue(deployDoc.contains("## ICP and what works before it"), "docs/deploy.md section");
    assertFalse(
        deployDoc.contains("use the generated host names for testing"),
        "no advice to test on the generated host names in China");
  }

  @Test
  void theFixesTableAndTheSsmPathAreNamedAfterTheStack() {
    TfModule data = module("modules/data");
    assertEquals(List.of(), InfraRules.stackNameProblems(data.allCode()));
    String old =
        """
        resource "aws_dynamodb_table" "fixes" {
          name                        = var.fixes_table_name
        }
        resource "aws_ssm_parameter" "pg_password" {
          name        = "${var.ssm_prefix}/pg-password"
        }
        """;
    assertEquals(2, InfraRules.stackNameProblems(old).size());
  }

  @Test
  void aCustomerManagedKeyLetsTheGatewayExecutionRoleDecrypt() {
    assertEquals(List.of(), InfraRules.gatewayKmsProblems(module("modules/gateway").allCode()));
    for (String env : List.of("envs/global", "envs/china")) {
      assertEquals(
          "var.kms_key_arn",
          String.valueOf(module(env).moduleCalls.get("gateway").get("kms_key_arn")),
          env);
      assertEquals(
          "var.kms_key_arn",
          String.valueOf(module(env).moduleCalls.get("data").get("kms_key_arn")),
          env);
    }
    String old =
        """
        data "aws_iam_policy_document" "execution_secrets" {
          statement {
            sid       = "DatabasePassword"
            actions   = ["ssm:GetParameters"]
            resources = [var.pg_password_parameter_arn]
          }
        }
        """;
    assertEquals(1, InfraRules.gatewayKmsProblems(old).size());
  }

  @Test
  void theAuthorizerCacheIsAVariableOfAMinuteByDefault() {
    TfModule backoffice = module("modules/backoffice");
    assertEquals(List.of(), InfraRules.authorizerCacheProblems(backoffice.allCode()));
    String old =
        """
        resource "aws_api_gateway_rest_api" "backoffice" {
          body              = templatefile(local.openapi, local.openapi_placeholders)
        }
        """;
    assertEquals(2, InfraRules.authorizerCacheProblems(old).size());
  }

  /**
   * The regex the backoffice module rewrites the TTL with matches the document the deploy build
   * writes exactly once (the same merger, fragments and units as Packager), and sets the value.
   */
  @Test
  void theAuthorizerCacheRewriteMatchesTheMergedDocument(@TempDir Path dir) throws Exception {
    String code = module("modules/backoffice").allCode();
    Matcher regex =
        Pattern.compile("authorizer_ttl_regex\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(code);
    assertTrue(regex.find(), "local.authorizer_ttl_regex");
    String pattern = regex.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
    List<String> args = new ArrayList<>();
    args.add(dir.resolve("backoffice.yaml").toString());
    for (String unit : LocalBackoffice.UNITS) args.add("classpath:openapi/" + unit + ".yaml");
    String merged =
        Files.readString(
            OpenApiMerger.run(args.toArray(String[]::new), getClass().getClassLoader()));
    Matcher ttl = Pattern.compile(pattern).matcher(merged);
    int matches = 0;
    while (ttl.find()) matches++;
    assertEquals(1, matches, pattern);
    // Terraform's replacement "$${1}<n>": the first group, then the number
    String rewritten = Pattern.compile(pattern).matcher(merged).replaceAll(m -> m.group(1) + "45");
    assertTrue(rewritten.contains("authorizerResultTtlInSeconds: 45"), "the value is replaced");
    assertFalse(rewritten.contains("authorizerResultTtlInSeconds: 60"), "the default is gone");
  }

  @SuppressWarnings("unchecked")
  private static String variableDescription(TfModule m, String variable) {
    for (Map<String, Object> doc : m.parsed.values()) {
      Map<String, Object> vars = (Map<String, Object>) doc.getOrDefault("variable", Map.of());
      if (vars.containsKey(variable))
        return String.valueOf(((Map<String, Object>) vars.get(variable)).get("description"));
    }
    throw new AssertionError(m.dir + " declares no variable " + variable);
  }

  @SuppressWarnings("unchecked")
  private static Object variableDefault(TfModule m, String variable) {
    for (Map<String, Object> doc : m.parsed.values()) {
      Map<String, Object> vars = (Map<String, Object>) doc.getOrDefault("variable", Map.of());
      if (vars.containsKey(variable))
        return ((Map<String, Object>) vars.get(variable)).get("default");
    }
    throw new AssertionError(m.dir + " declares no variable " + variable);
  }
}
