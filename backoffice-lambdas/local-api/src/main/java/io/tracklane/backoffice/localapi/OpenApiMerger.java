package io.tracklane.backoffice.localapi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Merges the units' OpenAPI fragments ({@code src/main/resources/openapi/<unit>.yaml}) into the one
 * OpenAPI 3.0.3 document API Gateway imports (and local-api serves). Around the fragments' paths
 * and schemas it adds:
 *
 * <ul>
 *   <li>{@code info} and the {@code tracklaneAuth} security scheme: our REQUEST Lambda authorizer,
 *       identity source the {@code Authorization} header, cached {@code
 *       authorizerResultTtlInSeconds};
 *   <li>on every operation an {@code aws_proxy} integration to the function named by its {@code
 *       x-tracklane-function} (placeholder {@code ${<function>_invoke_arn}}, dashes become
 *       underscores) and the {@code all} request validator;
 *   <li>per path an {@code options} operation with a mock integration answering the CORS preflight;
 *   <li>gateway responses giving API Gateway's own errors (401, 403, 400, 404, 504, 4XX, 5XX) our
 *       error shape and CORS headers, and the binary media types.
 * </ul>
 *
 * The {@code ${…}} placeholders are filled by Terraform's {@code templatefile}; no ARN, region or
 * partition is written here. Output is deterministic (paths, methods and component names sorted).
 */
public final class OpenApiMerger {
  public static final String OPENAPI_VERSION = "3.0.3";
  public static final String FUNCTION_EXTENSION = "x-tracklane-function";
  public static final String SECURITY_SCHEME = "tracklaneAuth";
  public static final String INTEGRATION_EXTENSION = "x-amazon-apigateway-integration";
  public static final String VALIDATOR_EXTENSION = "x-amazon-apigateway-request-validator";
  public static final String BINARY_MEDIA_TYPES_EXTENSION =
      "x-amazon-apigateway-binary-media-types";
  public static final String AUTHORIZER_URI_PLACEHOLDER = "${authorizer_invoke_arn}";

  /** HTTP methods in the order they are written under a path. */
  public static final List<String> METHODS =
      List.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

  private static final Pattern FUNCTION_NAME = Pattern.compile("[a-z][a-z0-9-]*");
  private static final List<String> PATH_ITEM_KEY_ORDER =
      List.of("summary", "description", "parameters", "servers");

  /** One unit's fragment and the name used in error messages (e.g. {@code openapi/routes.yaml}). */
  public record Fragment(String name, Map<String, Object> document) {
    public Fragment {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(document, "document");
    }
  }

  private OpenApiMerger() {}

  /** Merges fragments named after their {@code info.title} (or position). */
  public static Map<String, Object> merge(
      List<Map<String, Object>> fragments, MergeOptions options) {
    List<Fragment> named = new ArrayList<>();
    for (int i = 0; i < fragments.size(); i++) {
      Map<String, Object> doc = fragments.get(i);
      Object title = doc.get("info") instanceof Map<?, ?> info ? info.get("title") : null;
      named.add(
          new Fragment("fragment " + (i + 1) + (title == null ? "" : " (" + title + ")"), doc));
    }
    return mergeFragments(named, options);
  }

  public static Map<String, Object> mergeFragments(List<Fragment> fragments, MergeOptions options) {
    return new Merge(options).run(fragments);
  }

  /**
   * {@code ${routes_invoke_arn}} for {@code routes}, {@code ${task_expiry_invoke_arn}} for {@code
   * task-expiry}.
   */
  public static String invokeArnPlaceholder(String function) {
    return "${" + function.replace('-', '_') + "_invoke_arn}";
  }

  public static String toYaml(Map<String, Object> document) {
    return OpenApiYaml.dump(document);
  }

  /**
   * {@code OpenApiMerger [--version=V] [--cors-origin=O] <output.yaml> <fragment>...}; a fragment
   * is a file, {@code classpath:<resource>}, or a classpath resource name such as {@code
   * openapi/routes.yaml}. Throws (non-zero exit, failed Maven execution) on any problem.
   */
  public static void main(String[] args) throws IOException {
    Path out = run(args, Thread.currentThread().getContextClassLoader());
    System.out.println("wrote " + out.toAbsolutePath());
  }

  /** {@link #main} without printing; returns the file written. */
  public static Path run(String[] args, ClassLoader loader) throws IOException {
    MergeOptions options = MergeOptions.defaults();
    List<String> positional = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("--version=")) {
        options = options.withApiVersion(arg.substring("--version=".length()));
      } else if (arg.startsWith("--cors-origin=")) {
        options = options.withCorsAllowOrigin(arg.substring("--cors-origin=".length()));
      } else if (arg.startsWith("--")) {
        throw new IllegalArgumentException(
            "unknown option "
                + arg
                + "; usage: OpenApiMerger [--version=V] "
                + "[--cors-origin=O] <output.yaml> <fragment file | classpath:resource>...");
      } else {
        positional.add(arg);
      }
    }
    if (positional.size() < 2) {
      throw new IllegalArgumentException(
          "usage: OpenApiMerger [--version=V] [--cors-origin=O] <output.yaml> "
              + "<fragment file | classpath:resource>...");
    }
    List<Fragment> fragments = new ArrayList<>();
    for (String source : positional.subList(1, positional.size())) {
      fragments.add(readFragment(source, loader));
    }
    Map<String, Object> merged = mergeFragments(fragments, options);
    Path out = Path.of(positional.get(0));
    if (out.toAbsolutePath().getParent() != null)
      Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, toYaml(merged), StandardCharsets.UTF_8);
    return out;
  }

  static Fragment readFragment(String source, ClassLoader loader) throws IOException {
    if (!source.startsWith("classpath:")) {
      Path file = Path.of(source);
      if (Files.isRegularFile(file)) {
        return new Fragment(
            source, OpenApiYaml.parse(Files.readString(file, StandardCharsets.UTF_8), source));
      }
    }
    String resource =
        source.startsWith("classpath:") ? source.substring("classpath:".length()) : source;
    if (resource.startsWith("/")) resource = resource.substring(1);
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null)
        throw new IllegalArgumentException(
            "fragment " + source + ": no such file or classpath resource");
      return new Fragment(resource, OpenApiYaml.parse(in, resource));
    }
  }

  /** One merge run: collects every problem, then fails once listing them all. */
  private static final class Merge {
    private final MergeOptions options;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Map<String, Object>> paths = new TreeMap<>();

    /**
     * "path method" → fragment, "path key" → fragment, templates without names → (path, fragment).
     */
    private final Map<String, String> owners = new HashMap<>();

    private final Map<String, String[]> templates = new HashMap<>();
    private final Map<String, String> operationIds = new HashMap<>();
    private final Map<String, Map<String, Object>> components = new TreeMap<>();
    private final Map<String, Map<String, Object>> tags = new LinkedHashMap<>();

    Merge(MergeOptions options) {
      this.options = options;
    }

    Map<String, Object> run(List<Fragment> fragments) {
      if (fragments.isEmpty()) problems.add("no fragments given");
      Map<String, String> fragmentNames = new HashMap<>();
      for (Fragment f : fragments) {
        if (fragmentNames.put(f.name(), f.name()) != null)
          problems.add("fragment " + f.name() + " is given twice");
        mergeFragment(f);
      }
      if (!problems.isEmpty()) throw new OpenApiMergeException(problems);
      return document();
    }

    private void mergeFragment(Fragment f) {
      Map<String, Object> doc = f.document();
      scanPlaceholders(f.name(), "", doc);
      Object version = doc.get("openapi");
      if (!(version instanceof String v) || !v.startsWith("3.0.")) {
        problems.add(f.name() + ": openapi must be 3.0.x (got " + version + ")");
      }
      List<?> fragmentSecurity = doc.get("security") instanceof List<?> s ? s : null;
      Object pathsValue = doc.get("paths");
      if (pathsValue != null && !(pathsValue instanceof Map<?, ?>)) {
        problems.add(f.name() + ": paths must be a mapping");
      } else if (pathsValue != null) {
        asMap(pathsValue).forEach((path, item) -> mergePath(f, path, item, fragmentSecurity));
      }
      if (doc.get("components") instanceof Map<?, ?> comps) {
        asMap(comps).forEach((section, entries) -> mergeComponents(f, section, entries));
      }
      if (doc.get("tags") instanceof List<?> list) {
        for (Object t : list) {
          if (t instanceof Map<?, ?> tag && tag.get("name") instanceof String name) {
            tags.putIfAbsent(name, OpenApiYaml.normalizeMap(tag));
          }
        }
      }
    }

    private void mergePath(Fragment f, String path, Object itemValue, List<?> fragmentSecurity) {
      if (!path.startsWith("/")) {
        problems.add(f.name() + ": path " + path + " must start with /");
        return;
      }
      if (!(itemValue instanceof Map<?, ?> rawItem)) {
        problems.add(f.name() + ": path " + path + " must be a mapping");
        return;
      }
      String shape = path.replaceAll("\\{[^}/]*}", "{}");
      String[] seen = templates.putIfAbsent(shape, new String[] {path, f.name()});
      if (seen != null && !seen[0].equals(path)) {
        problems.add(
            "paths "
                + seen[0]
                + " ("
                + seen[1]
                + ") and "
                + path
                + " ("
                + f.name()
                + ") are the same resource with different parameter names");
        return;
      }
      Map<String, Object> merged = paths.computeIfAbsent(path, p -> new LinkedHashMap<>());
      Map<String, Object> item = OpenApiYaml.normalizeMap(rawItem);
      for (var e : item.entrySet()) {
        String key = e.getKey();
        if (key.equals("$ref")) {
          problems.add(f.name() + ": path " + path + " uses $ref; path items must be written out");
        } else if (METHODS.contains(key)) {
          mergeOperation(f, path, key, e.getValue(), fragmentSecurity, merged);
        } else {
          String owner = owners.putIfAbsent(path + " " + key, f.name());
          if (owner != null && !Objects.equals(merged.get(key), e.getValue())) {
            problems.add(
                "path " + path + ": '" + key + "' differs between " + owner + " and " + f.name());
          } else {
            merged.put(key, e.getValue());
          }
        }
      }
    }

    @SuppressWarnings("unchecked")
    private void mergeOperation(
        Fragment f,
        String path,
        String method,
        Object value,
        List<?> fragmentSecurity,
        Map<String, Object> merged) {
      String where = f.name() + ": " + method.toUpperCase() + " " + path;
      if (method.equals("options")) {
        problems.add(
            where
                + ": options operations are generated (CORS preflight); remove it from the fragment");
        return;
      }
      if (!(value instanceof Map<?, ?>)) {
        problems.add(where + " must be a mapping");
        return;
      }
      String owner = owners.putIfAbsent(path + " " + method, f.name());
      if (owner != null) {
        problems.add(
            "duplicate operation "
                + method.toUpperCase()
                + " "
                + path
                + " in "
                + owner
                + " and "
                + f.name());
        return;
      }
      Map<String, Object> op = new LinkedHashMap<>((Map<String, Object>) value);
      Object function = op.get(FUNCTION_EXTENSION);
      if (!(function instanceof String fn) || !FUNCTION_NAME.matcher(fn).matches()) {
        problems.add(
            where
                + ": "
                + FUNCTION_EXTENSION
                + " must name the function (lower case, digits, dashes), got "
                + function);
        return;
      }
      if (op.containsKey(INTEGRATION_EXTENSION)) {
        problems.add(
            where
                + ": "
                + INTEGRATION_EXTENSION
                + " is written by the merger; remove it from the fragment");
      }
      if (op.get("operationId") instanceof String id) {
        String idOwner =
            operationIds.putIfAbsent(id, f.name() + " " + method.toUpperCase() + " " + path);
        if (idOwner != null) {
          problems.add(
              "operationId "
                  + id
                  + " is used by "
                  + idOwner
                  + " and "
                  + f.name()
                  + " "
                  + method.toUpperCase()
                  + " "
                  + path);
        }
      }
      Object security = op.containsKey("security") ? op.get("security") : fragmentSecurity;
      if (!(security instanceof List<?> requirements)) {
        problems.add(
            where
                + ": no security; write security: [] (public) or security: [{"
                + SECURITY_SCHEME
                + ": []}]");
        return;
      }
      for (Object r : requirements) {
        if (!(r instanceof Map<?, ?> req) || !req.keySet().equals(Set.of(SECURITY_SCHEME))) {
          problems.add(
              where
                  + ": security requirement "
                  + r
                  + " is not supported; only "
                  + SECURITY_SCHEME
                  + " (the Lambda authorizer) or none");
        }
      }
      if (!(op.get("responses") instanceof Map<?, ?> responses) || responses.isEmpty()) {
        problems.add(where + ": responses are required");
      }
      op.put("security", security);
      Map<String, Object> integration = new LinkedHashMap<>();
      integration.put("type", "aws_proxy");
      integration.put("httpMethod", "POST");
      integration.put("uri", invokeArnPlaceholder((String) function));
      integration.put("passthroughBehavior", "when_no_match");
      op.put(INTEGRATION_EXTENSION, integration);
      op.put(VALIDATOR_EXTENSION, "all");
      merged.put(method, op);
    }

    private void mergeComponents(Fragment f, String section, Object entries) {
      if (section.startsWith("x-")) return;
      if (!(entries instanceof Map<?, ?> map)) {
        problems.add(f.name() + ": components." + section + " must be a mapping");
        return;
      }
      Map<String, Object> target = components.computeIfAbsent(section, s -> new TreeMap<>());
      asMap(map)
          .forEach(
              (name, value) -> {
                if (section.equals("securitySchemes") && name.equals(SECURITY_SCHEME))
                  return; // the merger owns it
                String key = "components." + section + "." + name;
                String owner = owners.putIfAbsent(key, f.name());
                if (owner != null && !Objects.equals(target.get(name), value)) {
                  problems.add(key + " is defined differently in " + owner + " and " + f.name());
                } else {
                  target.put(name, value);
                }
              });
    }

    /** Terraform's templatefile would interpret ${…} and %{…} in fragment text. */
    private void scanPlaceholders(String fragment, String at, Object value) {
      if (value instanceof Map<?, ?> m) {
        m.forEach(
            (k, v) -> {
              String key = String.valueOf(k);
              checkTemplateText(fragment, at + "/" + key, key);
              scanPlaceholders(fragment, at + "/" + key, v);
            });
      } else if (value instanceof List<?> l) {
        for (int i = 0; i < l.size(); i++) scanPlaceholders(fragment, at + "/" + i, l.get(i));
      } else if (value instanceof String s) {
        checkTemplateText(fragment, at, s);
      }
    }

    private void checkTemplateText(String fragment, String at, String text) {
      if (text.contains("${") || text.contains("%{")) {
        problems.add(
            fragment
                + ": "
                + at
                + " contains '${' or '%{', which Terraform's templatefile would interpret");
      }
    }

    private Map<String, Object> document() {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("openapi", OPENAPI_VERSION);
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("title", MergeOptions.TITLE);
      info.put("version", options.apiVersion());
      doc.put("info", info);
      if (!tags.isEmpty()) {
        doc.put("tags", new ArrayList<>(new TreeMap<>(tags).values()));
      }
      Map<String, Object> outPaths = new LinkedHashMap<>();
      paths.forEach((path, item) -> outPaths.put(path, pathItem(item)));
      doc.put("paths", outPaths);

      Map<String, Object> outComponents = new LinkedHashMap<>();
      Map<String, Object> schemes =
          new TreeMap<>(components.getOrDefault("securitySchemes", Map.of()));
      Map<String, Object> outSchemes = new LinkedHashMap<>();
      outSchemes.put(SECURITY_SCHEME, securityScheme());
      outSchemes.putAll(schemes);
      outComponents.put("securitySchemes", outSchemes);
      components.forEach(
          (section, entries) -> {
            if (!section.equals("securitySchemes") && !entries.isEmpty())
              outComponents.put(section, entries);
          });
      doc.put("components", outComponents);

      doc.put(BINARY_MEDIA_TYPES_EXTENSION, new ArrayList<>(options.binaryMediaTypes()));
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("validateRequestBody", true);
      all.put("validateRequestParameters", true);
      doc.put("x-amazon-apigateway-request-validators", Map.of("all", all));
      doc.put("x-amazon-apigateway-gateway-responses", gatewayResponses());
      return doc;
    }

    private Map<String, Object> pathItem(Map<String, Object> item) {
      Map<String, Object> out = new LinkedHashMap<>();
      item.keySet().stream()
          .filter(k -> !METHODS.contains(k))
          .sorted(
              Comparator.comparingInt(
                      (String k) ->
                          PATH_ITEM_KEY_ORDER.contains(k)
                              ? PATH_ITEM_KEY_ORDER.indexOf(k)
                              : PATH_ITEM_KEY_ORDER.size())
                  .thenComparing(k -> k))
          .forEach(k -> out.put(k, item.get(k)));
      List<String> methods = METHODS.stream().filter(item::containsKey).toList();
      for (String m : METHODS) {
        if (m.equals("options") && !methods.isEmpty()) {
          out.put("options", preflight(methods));
        } else if (item.containsKey(m)) {
          out.put(m, item.get(m));
        }
      }
      return out;
    }

    private Map<String, Object> securityScheme() {
      Map<String, Object> authorizer = new LinkedHashMap<>();
      authorizer.put("type", "request");
      authorizer.put("identitySource", "method.request.header.Authorization");
      authorizer.put("authorizerUri", AUTHORIZER_URI_PLACEHOLDER);
      authorizer.put("authorizerResultTtlInSeconds", options.authorizerTtlSeconds());
      Map<String, Object> scheme = new LinkedHashMap<>();
      scheme.put("type", "apiKey");
      scheme.put("name", "Authorization");
      scheme.put("in", "header");
      scheme.put("x-amazon-apigateway-authtype", "custom");
      scheme.put("x-amazon-apigateway-authorizer", authorizer);
      return scheme;
    }

    private Map<String, Object> preflight(List<String> methods) {
      List<String> allowed = new ArrayList<>(methods.stream().map(String::toUpperCase).toList());
      allowed.add("OPTIONS");
      Map<String, String> values = new LinkedHashMap<>();
      values.put("Access-Control-Allow-Origin", options.corsAllowOrigin());
      values.put("Access-Control-Allow-Methods", String.join(",", allowed));
      values.put("Access-Control-Allow-Headers", String.join(",", options.corsAllowHeaders()));
      values.put("Access-Control-Max-Age", Integer.toString(options.corsMaxAgeSeconds()));

      Map<String, Object> headers = new LinkedHashMap<>();
      Map<String, Object> parameters = new LinkedHashMap<>();
      values.forEach(
          (name, value) -> {
            headers.put(name, Map.of("schema", Map.of("type", "string")));
            parameters.put("method.response.header." + name, "'" + value + "'");
          });
      Map<String, Object> response = new LinkedHashMap<>();
      response.put("description", "CORS preflight");
      response.put("headers", headers);

      Map<String, Object> integrationResponse = new LinkedHashMap<>();
      integrationResponse.put("statusCode", "200");
      integrationResponse.put("responseParameters", parameters);
      Map<String, Object> integration = new LinkedHashMap<>();
      integration.put("type", "mock");
      integration.put("requestTemplates", Map.of("application/json", "{\"statusCode\": 200}"));
      integration.put("passthroughBehavior", "when_no_match");
      integration.put("responses", Map.of("default", integrationResponse));

      Map<String, Object> op = new LinkedHashMap<>();
      op.put("summary", "CORS preflight");
      op.put("security", List.of());
      op.put("responses", Map.of("200", response));
      op.put(INTEGRATION_EXTENSION, integration);
      return op;
    }

    /** API Gateway's own refusals in our error shape, with CORS so browsers can read them. */
    private Map<String, Object> gatewayResponses() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("UNAUTHORIZED", gatewayResponse(401, "unauthorized"));
      out.put("ACCESS_DENIED", gatewayResponse(403, "forbidden"));
      out.put("BAD_REQUEST_BODY", gatewayResponse(400, "invalid_request"));
      out.put("BAD_REQUEST_PARAMETERS", gatewayResponse(400, "invalid_request"));
      out.put("MISSING_AUTHENTICATION_TOKEN", gatewayResponse(404, "not_found"));
      out.put("INTEGRATION_TIMEOUT", gatewayResponse(504, "timeout"));
      out.put("DEFAULT_4XX", gatewayResponse(null, "request_error"));
      out.put("DEFAULT_5XX", gatewayResponse(null, "gateway_error"));
      return out;
    }

    private Map<String, Object> gatewayResponse(Integer status, String code) {
      Map<String, Object> r = new LinkedHashMap<>();
      if (status != null)
        r.put("statusCode", Integer.toString(status)); // a string in API Gateway's extension
      r.put(
          "responseParameters",
          Map.of(
              "gatewayresponse.header.Access-Control-Allow-Origin",
              "'" + options.corsAllowOrigin() + "'"));
      r.put(
          "responseTemplates",
          Map.of(
              "application/json",
              "{\"error\":\"" + code + "\",\"message\":$context.error.messageString}"));
      return r;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
      return value instanceof Map<?, ?> m
          ? OpenApiYaml.normalizeMap(m)
          : (Map<String, Object>) value;
    }
  }
}
