package io.tracklane.backoffice.localapi;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Lambda proxy integration: the {@link APIGatewayProxyRequestEvent} API Gateway (REST) hands a
 * function, and the HTTP answer it makes of the function's {@link APIGatewayProxyResponseEvent}.
 */
final class ProxyEvents {
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  /** The HTTP answer: status, headers (several values per name allowed) and body bytes. */
  record HttpReply(int status, MultiMap headers, Buffer body) {}

  /** The function's response is not a valid proxy response (API Gateway answers 502). */
  static final class MalformedResponseException extends RuntimeException {
    MalformedResponseException(String message) {
      super(message, null, false, false);
    }
  }

  private ProxyEvents() {}

  /**
   * @param authorizer the authorizer's context plus {@code principalId}, or null for a public
   *     operation (API Gateway then sends no {@code requestContext.authorizer})
   */
  static APIGatewayProxyRequestEvent request(IncomingRequest in, Map<String, Object> authorizer) {
    var identity =
        new APIGatewayProxyRequestEvent.RequestIdentity()
            .withSourceIp(in.sourceIp())
            .withUserAgent(in.header("User-Agent"));
    var context =
        new APIGatewayProxyRequestEvent.ProxyRequestContext()
            .withAccountId(LocalAws.ACCOUNT_ID)
            .withApiId(LocalAws.API_ID)
            .withStage(LocalAws.STAGE)
            .withResourceId(Integer.toHexString(in.resource().hashCode()))
            .withResourcePath(in.resource())
            .withHttpMethod(in.method())
            .withPath("/" + LocalAws.STAGE + in.path())
            .withProtocol("HTTP/1.1")
            .withRequestId(in.requestId())
            .withRequestTime(REQUEST_TIME.format(Instant.ofEpochMilli(in.epochMillis())))
            .withRequestTimeEpoch(in.epochMillis())
            .withDomainName(in.header("Host"))
            .withIdentity(identity);
    if (authorizer != null) context.setAuthorizer(authorizer);

    var event =
        new APIGatewayProxyRequestEvent()
            .withResource(in.resource())
            .withPath(in.path())
            .withHttpMethod(in.method())
            .withHeaders(single(in.headers()))
            .withMultiValueHeaders(multi(in.headers()))
            .withQueryStringParameters(single(in.query()))
            .withMultiValueQueryStringParameters(multi(in.query()))
            .withPathParameters(
                in.pathParameters().isEmpty() ? null : new LinkedHashMap<>(in.pathParameters()))
            .withRequestContext(context)
            .withIsBase64Encoded(false);
    if (in.body().length() > 0) {
      if (isText(in.header("Content-Type"))) {
        event.setBody(in.body().toString(StandardCharsets.UTF_8));
      } else {
        event.setBody(Base64.getEncoder().encodeToString(in.body().getBytes()));
        event.setIsBase64Encoded(true);
      }
    }
    return event;
  }

  /** Last value per name, as API Gateway's single-value maps; null when there is none. */
  static Map<String, String> single(MultiMap values) {
    if (values.isEmpty()) return null;
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : values.names()) {
      List<String> all = values.getAll(name);
      out.put(name, all.get(all.size() - 1));
    }
    return out;
  }

  static Map<String, List<String>> multi(MultiMap values) {
    if (values.isEmpty()) return null;
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String name : values.names()) out.put(name, new ArrayList<>(values.getAll(name)));
    return out;
  }

  /**
   * Bodies of these types are passed as text; all others base64-encoded. No type counts as text.
   */
  static boolean isText(String contentType) {
    if (contentType == null || contentType.isBlank()) return true;
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.startsWith("text/")
        || type.equals("application/json")
        || type.endsWith("+json")
        || type.equals("application/xml")
        || type.endsWith("+xml")
        || type.equals("application/x-www-form-urlencoded")
        || type.equals("application/javascript")
        || type.equals("application/yaml")
        || type.equals("application/graphql");
  }

  /**
   * The function's response as HTTP; {@link MalformedResponseException} if API Gateway would refuse
   * it.
   */
  static HttpReply reply(APIGatewayProxyResponseEvent response) {
    if (response == null) throw new MalformedResponseException("the function returned no response");
    Integer status = response.getStatusCode();
    if (status == null || status < 100 || status > 599) {
      throw new MalformedResponseException(
          "the function returned an invalid statusCode: " + status);
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (response.getMultiValueHeaders() != null) {
      response
          .getMultiValueHeaders()
          .forEach(
              (name, values) -> {
                if (values != null) values.forEach(v -> headers.add(name, v));
              });
    }
    if (response.getHeaders() != null) {
      response
          .getHeaders()
          .forEach(
              (name, value) -> {
                if (value != null && !headers.getAll(name).contains(value))
                  headers.add(name, value);
              });
    }
    Buffer body;
    String text = response.getBody();
    if (text == null) {
      body = Buffer.buffer();
    } else if (Boolean.TRUE.equals(response.getIsBase64Encoded())) {
      try {
        body = Buffer.buffer(Base64.getDecoder().decode(text));
      } catch (IllegalArgumentException e) {
        throw new MalformedResponseException("isBase64Encoded is true but the body is not base64");
      }
    } else {
      body = Buffer.buffer(text, "UTF-8");
    }
    if (body.length() > 0 && !headers.contains("Content-Type"))
      headers.set("Content-Type", "application/json");
    return new HttpReply(status, headers, body);
  }
}
