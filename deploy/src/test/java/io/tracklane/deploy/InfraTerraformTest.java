package io.tracklane.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  void vpcEndpointServiceNamesComeFromThePartition() {
    TfModule network = module("modules/network");
    String endpoints = network.allCode();
    assertTrue(
        endpoints.contains("data.aws_partition.current.reverse_dns_prefix"),
        "endpoint names from reverse_dns_prefix");
    network
        .resources("aws_vpc_endpoint")
        .forEach(
            (name, attrs) ->
                assertTrue(
                    String.valueOf(attrs.get("service_name"))
                        .startsWith(
                            "data.aws_partition.current.reverse_dns_prefix.data.aws_region.current.name."),
                    name + ": " + attrs.get("service_name")));
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
        code.contains(
            "body              = templatefile(local.openapi, local.openapi_placeholders)"),
        "body from the merged document");
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
      assertTrue(e.allCode().contains("lambda_units_file          = local.lambda_units_file"), env);
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
