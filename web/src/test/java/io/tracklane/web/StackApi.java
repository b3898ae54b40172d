package io.tracklane.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracklane.localstack.LocalStack;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The back-office API of a local stack, as the browser tests call it to set the scene. */
final class StackApi {
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  final LocalStack stack;

  StackApi(LocalStack stack) {
    this.stack = stack;
  }

  /** An access token for a seeded demo user. */
  String login(String username) throws Exception {
    return ok(
            call(
                "POST",
                "/auth/login",
                null,
                new JsonObject()
                    .put("username", username)
                    .put("password", stack.seeded.passwords().get(username))),
            200)
        .getString("accessToken");
  }

  HttpResponse<String> call(String method, String path, String token) throws Exception {
    return call(method, path, token, null);
  }

  HttpResponse<String> call(String method, String path, String token, JsonObject body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(stack.apiUrl() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) b.header("Content-Type", "application/json");
    if (token != null) b.header("Authorization", "Bearer " + token);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject ok(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.request().method() + " " + r.uri() + " → " + r.body());
    return r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body());
  }

  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
