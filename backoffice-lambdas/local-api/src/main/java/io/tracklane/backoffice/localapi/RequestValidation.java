package io.tracklane.backoffice.localapi;

import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.FieldError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaValidationException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIVersion;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates a request against its operation's parameters and request body before the function runs,
 * as API Gateway's request validator does: every problem is collected into one 400 {@code
 * {"error":"invalid_request","message":…,"errors":[{"field","message"}]}} naming the field ({@code
 * name}, {@code checkpoints[2].radiusM}, a parameter's name). A body that is not JSON is a 400; a
 * content type the operation does not accept is a 415.
 *
 * <p>The document is checked against the OpenAPI 3.0 schema and its {@code $ref}s resolved by
 * vertx-openapi ({@link OpenAPIVersion}); schemas are validated with vertx-json-schema (draft 4,
 * OpenAPI 3.0's dialect), after rewriting {@code nullable: true} into draft 4's {@code type: [t,
 * "null"]}.
 */
final class RequestValidation {
  private static final String BASE_URI = "app://";
  private static final int MAX_SCHEMA_DEPTH = 64;
  private static final Set<String> WRAPPER_KEYWORDS =
      Set.of(
          "properties",
          "items",
          "$ref",
          "additionalItems",
          "patternProperties",
          "allOf",
          "dependencies");
  private static final Pattern QUOTED = Pattern.compile("\"(.*)\"");
  private static final Pattern TYPE_ERROR =
      Pattern.compile("Instance type (\\S+) is invalid\\. Expected (.+)");

  private record Param(
      String name,
      String in,
      boolean required,
      String type,
      String itemsType,
      boolean explode,
      Validator validator) {}

  private record Media(String type, boolean json, Validator validator) {}

  private final List<Param> params;
  private final boolean hasBody;
  private final boolean bodyRequired;
  private final List<Media> media;

  private RequestValidation(
      List<Param> params, boolean hasBody, boolean bodyRequired, List<Media> media) {
    this.params = params;
    this.hasBody = hasBody;
    this.bodyRequired = bodyRequired;
    this.media = media;
  }

  /**
   * Checks the document against the OpenAPI 3.0 schema, resolves it and compiles one validation per
   * operation (keyed by {@link ApiOperation#key()}).
   */
  static Future<Map<String, RequestValidation>> compile(
      Vertx vertx, JsonObject document, List<ApiOperation> operations) {
    OpenAPIVersion version = OpenAPIVersion.fromContract(document);
    return version
        .getRepository(vertx, BASE_URI)
        .compose(
            repository ->
                version
                    .validateContract(vertx, repository, document)
                    .compose(
                        result -> {
                          try {
                            result.checkValidity();
                          } catch (JsonSchemaValidationException e) {
                            return Future.failedFuture(
                                new IllegalArgumentException(
                                    "the OpenAPI document is not valid OpenAPI "
                                        + document.getString("openapi")
                                        + ": "
                                        + describe(result),
                                    e));
                          }
                          return version.resolve(vertx, repository, document);
                        })
                    .compose(
                        resolved ->
                            vertx.executeBlocking(
                                () -> {
                                  Map<String, RequestValidation> out = new LinkedHashMap<>();
                                  JsonObject paths =
                                      resolved.getJsonObject("paths", new JsonObject());
                                  for (ApiOperation op : operations) {
                                    JsonObject item = paths.getJsonObject(op.path());
                                    JsonObject operation =
                                        item.getJsonObject(op.method().toLowerCase(Locale.ROOT));
                                    out.put(
                                        op.key(),
                                        of(repository, item.getJsonArray("parameters"), operation));
                                  }
                                  return out;
                                })));
  }

  private static String describe(OutputUnit result) {
    List<String> lines = new ArrayList<>();
    if (result.getErrors() != null) {
      for (OutputUnit e : result.getErrors()) {
        if (lines.size() == 10) break;
        lines.add(e.getInstanceLocation() + ": " + e.getError());
      }
    }
    return lines.isEmpty() ? String.valueOf(result.getError()) : String.join("; ", lines);
  }

  private static RequestValidation of(
      SchemaRepository repository, JsonArray pathParameters, JsonObject operation) {
    Map<String, JsonObject> byKey = new LinkedHashMap<>();
    for (JsonArray list : new JsonArray[] {pathParameters, operation.getJsonArray("parameters")}) {
      if (list == null) continue;
      for (Object p : list) {
        JsonObject param = (JsonObject) p;
        byKey.put(param.getString("in") + " " + param.getString("name"), param);
      }
    }
    List<Param> params = new ArrayList<>();
    for (JsonObject p : byKey.values()) {
      String in = p.getString("in");
      if ("cookie".equals(in)) continue; // API Gateway does not validate cookies
      JsonObject schema =
          p.getValue("schema") instanceof JsonObject s ? draft4(s) : new JsonObject();
      JsonObject items = schema.getValue("items") instanceof JsonObject i ? i : new JsonObject();
      boolean explode = p.getBoolean("explode", "query".equals(in) || "cookie".equals(in));
      params.add(
          new Param(
              p.getString("name"),
              in,
              "path".equals(in) || p.getBoolean("required", false),
              typeOf(schema),
              typeOf(items),
              explode,
              repository.validator(JsonSchema.of(schema))));
    }
    JsonObject body = operation.getJsonObject("requestBody");
    List<Media> media = new ArrayList<>();
    if (body != null) {
      JsonObject content = body.getJsonObject("content", new JsonObject());
      for (String type : content.fieldNames()) {
        if (type.startsWith("__")) continue;
        JsonObject mt = content.getJsonObject(type);
        Validator validator =
            mt != null && mt.getValue("schema") instanceof JsonObject s
                ? repository.validator(JsonSchema.of(draft4(s)))
                : null;
        media.add(
            new Media(
                type.toLowerCase(Locale.ROOT).replaceAll("\\s+", ""), isJson(type), validator));
      }
    }
    return new RequestValidation(
        params, body != null, body != null && body.getBoolean("required", false), media);
  }

  /**
   * Throws a 400 (every problem, each naming its field) or a 415; returns when the request fits.
   */
  void validate(IncomingRequest in) {
    List<FieldError> errors = new ArrayList<>();
    for (Param p : params) validateParam(p, in, errors);
    if (hasBody) validateBody(in, errors);
    if (!errors.isEmpty()) {
      StringBuilder message = new StringBuilder("the request does not match the API: ");
      for (int i = 0; i < Math.min(3, errors.size()); i++) {
        if (i > 0) message.append("; ");
        message.append(errors.get(i).field()).append(' ').append(errors.get(i).message());
      }
      if (errors.size() > 3) message.append(" (and ").append(errors.size() - 3).append(" more)");
      throw ApiException.badRequest(message.toString(), errors);
    }
  }

  private void validateParam(Param p, IncomingRequest in, List<FieldError> errors) {
    List<String> raw =
        switch (p.in()) {
          case "path" -> {
            String v = in.pathParameters().get(p.name());
            yield v == null || v.isEmpty() ? List.of() : List.of(v);
          }
          case "query" -> in.query().getAll(p.name());
          case "header" -> in.headers().getAll(p.name());
          default -> List.of();
        };
    if (raw.isEmpty()) {
      if (p.required())
        errors.add(new FieldError(p.name(), "is required (" + p.in() + " parameter)"));
      return;
    }
    Object value;
    try {
      if ("array".equals(p.type())) {
        List<String> parts =
            raw.size() > 1 || p.explode() ? raw : List.of(raw.get(0).split(",", -1));
        JsonArray array = new JsonArray();
        for (String part : parts) array.add(coerce(p.itemsType(), part));
        value = array;
      } else {
        value = coerce(p.type(), raw.get(raw.size() - 1));
      }
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError(p.name(), e.getMessage()));
      return;
    }
    errors.addAll(fieldErrors(p.validator().validate(value), p.name()));
  }

  private static Object coerce(String type, String raw) {
    if (type == null) return raw;
    return switch (type) {
      case "integer" -> {
        try {
          yield Long.parseLong(raw);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("must be an integer");
        }
      }
      case "number" -> {
        try {
          yield new BigDecimal(raw).doubleValue();
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("must be a number");
        }
      }
      case "boolean" -> {
        if (raw.equals("true")) yield Boolean.TRUE;
        if (raw.equals("false")) yield Boolean.FALSE;
        throw new IllegalArgumentException("must be true or false");
      }
      default -> raw;
    };
  }

  private void validateBody(IncomingRequest in, List<FieldError> errors) {
    if (in.body().length() == 0) {
      if (bodyRequired) errors.add(new FieldError("body", "is required"));
      return;
    }
    // API Gateway takes a request without Content-Type as application/json.
    String contentType = in.header("Content-Type");
    String type =
        contentType == null || contentType.isBlank()
            ? "application/json"
            : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    Media m = mediaFor(type);
    if (m == null) {
      List<String> accepted = media.stream().map(Media::type).toList();
      throw new ApiException(
          415,
          "unsupported_media_type",
          "content type " + type + " is not accepted here; use " + String.join(" or ", accepted),
          List.of());
    }
    if (!m.json()) return;
    Object decoded;
    try {
      decoded = Json.decodeValue(in.body());
    } catch (DecodeException e) {
      errors.add(new FieldError("body", "is not valid JSON"));
      return;
    }
    if (m.validator() != null) errors.addAll(fieldErrors(m.validator().validate(decoded), ""));
  }

  private Media mediaFor(String type) {
    for (Media m : media) if (m.type().equals(type)) return m;
    for (Media m : media) if (m.type().startsWith(type + ";")) return m;
    String family = type.contains("/") ? type.substring(0, type.indexOf('/')) + "/*" : type;
    for (Media m : media) if (m.type().equals(family) || m.type().equals("*/*")) return m;
    return null;
  }

  private static boolean isJson(String type) {
    String t = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return t.equals("application/json") || t.endsWith("+json");
  }

  private static String typeOf(JsonObject schema) {
    Object type = schema.getValue("type");
    if (type instanceof String s) return s;
    if (type instanceof JsonArray a) {
      for (Object t : a) if (t instanceof String s && !s.equals("null")) return s;
    }
    return null;
  }

  /**
   * The validator's output as field errors: wrapper errors ("Property x does not match schema") are
   * dropped in favour of the leaf errors under them; a missing property is named itself.
   *
   * @param root the field the pointer is relative to: "" for the body, a parameter's name
   */
  static List<FieldError> fieldErrors(OutputUnit out, String root) {
    if (Boolean.TRUE.equals(out.getValid())) return List.of();
    List<OutputUnit> all =
        out.getErrors() == null || out.getErrors().isEmpty() ? List.of(out) : out.getErrors();
    List<OutputUnit> kept = new ArrayList<>();
    for (OutputUnit e : all) {
      String keyword = lastSegment(e.getKeywordLocation());
      if (WRAPPER_KEYWORDS.contains(keyword)) continue;
      if (keyword.equals("additionalProperties") && hasOtherErrorAtOrBelow(all, e)) continue;
      kept.add(e);
    }
    if (kept.isEmpty()) kept.add(all.get(all.size() - 1));
    Set<FieldError> errors = new LinkedHashSet<>();
    for (OutputUnit e : kept) {
      String keyword = lastSegment(e.getKeywordLocation());
      List<String> pointer = pointer(e.getInstanceLocation());
      String message = e.getError() == null ? "is invalid" : e.getError();
      if (keyword.equals("required")) {
        Matcher m = QUOTED.matcher(message);
        if (m.find()) pointer.add(m.group(1));
        message = "is required";
      } else if (keyword.equals("additionalProperties")) {
        message = "is not allowed (unknown property)";
      } else if (keyword.equals("enum") && message.contains("any of ")) {
        message =
            "must be one of " + message.substring(message.indexOf("any of ") + "any of ".length());
      } else if (keyword.equals("type")) {
        Matcher m = TYPE_ERROR.matcher(message);
        if (m.find())
          message =
              "must be of type " + m.group(2).replace(", ", " or ") + " (got " + m.group(1) + ")";
      }
      errors.add(new FieldError(fieldName(root, pointer), message));
    }
    return new ArrayList<>(errors);
  }

  private static boolean hasOtherErrorAtOrBelow(List<OutputUnit> all, OutputUnit e) {
    String at = e.getInstanceLocation();
    for (OutputUnit other : all) {
      if (other == e || lastSegment(other.getKeywordLocation()).equals("additionalProperties"))
        continue;
      String loc = other.getInstanceLocation();
      if (loc.equals(at) || loc.startsWith(at + "/")) return true;
    }
    return false;
  }

  private static String lastSegment(String keywordLocation) {
    if (keywordLocation == null) return "";
    int slash = keywordLocation.lastIndexOf('/');
    return slash < 0 ? keywordLocation : keywordLocation.substring(slash + 1);
  }

  /** "#/checkpoints/0/lat" → [checkpoints, 0, lat]. */
  private static List<String> pointer(String instanceLocation) {
    List<String> out = new ArrayList<>();
    if (instanceLocation == null) return out;
    String p = instanceLocation.startsWith("#") ? instanceLocation.substring(1) : instanceLocation;
    for (String s : p.split("/")) {
      if (!s.isEmpty()) out.add(s.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  /** [checkpoints, 0, lat] → "checkpoints[0].lat" (the field names handlers' FieldErrors use). */
  static String fieldName(String root, List<String> pointer) {
    StringBuilder sb = new StringBuilder(root);
    for (String segment : pointer) {
      if (segment.chars().allMatch(Character::isDigit)) {
        sb.append('[').append(segment).append(']');
      } else {
        if (sb.length() > 0) sb.append('.');
        sb.append(segment);
      }
    }
    return sb.length() == 0 ? "body" : sb.toString();
  }

  /**
   * A detached copy in draft 4 terms: nullable → type [t, "null"], resolver annotations removed.
   */
  static JsonObject draft4(JsonObject schema) {
    return (JsonObject) draft4(schema, Collections.newSetFromMap(new IdentityHashMap<>()));
  }

  private static Object draft4(Object value, Set<Object> path) {
    if (value instanceof JsonObject o) {
      // A recursive schema: accept anything below the cycle (or below an absurd depth).
      if (path.size() > MAX_SCHEMA_DEPTH || !path.add(o)) return new JsonObject();
      JsonObject out = new JsonObject();
      for (Map.Entry<String, Object> e : o) {
        if (e.getKey().equals("__absolute_uri__")) continue;
        out.put(e.getKey(), draft4(e.getValue(), path));
      }
      path.remove(o);
      if (Boolean.TRUE.equals(out.getValue("nullable"))) {
        if (out.getValue("type") instanceof String t)
          out.put("type", new JsonArray().add(t).add("null"));
        if (out.getValue("enum") instanceof JsonArray en && !en.contains(null))
          out.put("enum", en.copy().addNull());
      }
      return out;
    }
    if (value instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      for (Object v : a) out.add(draft4(v, path));
      return out;
    }
    return value;
  }
}
