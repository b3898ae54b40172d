package io.tracklane.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmAsyncClient;
import software.amazon.awssdk.services.ssm.SsmAsyncClientBuilder;

/**
 * The public JWKS kept in one SSM Parameter Store parameter (put next to the signing key), read
 * with the async client: the gateway's token checks then need neither the public API (in the China
 * regions it serves nothing before the ICP filing) nor the private key.
 */
final class SsmJwks {
  private final Vertx vertx;
  private final SsmAsyncClient ssm;
  private final String parameter;

  SsmJwks(Vertx vertx, SsmAsyncClient ssm, String parameter) {
    this.vertx = vertx;
    this.ssm = ssm;
    this.parameter = parameter;
  }

  /** The client for a region; {@code endpoint} overrides the region's (tests, emulators). */
  static SsmAsyncClient client(String region, String endpoint, Duration timeout) {
    SsmAsyncClientBuilder builder =
        SsmAsyncClient.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials(endpoint))
            .overrideConfiguration(o -> o.apiCallTimeout(timeout))
            .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(4));
    if (!endpoint.isEmpty()) builder.endpointOverride(URI.create(endpoint));
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(String endpoint) {
    // a local endpoint takes any signature: no AWS keys needed to test against it
    if (!endpoint.isEmpty() && System.getenv("AWS_ACCESS_KEY_ID") == null) {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  String parameter() {
    return parameter;
  }

  /** Reads the parameter afresh; fails naming it when it holds no JWKS. */
  Future<JsonObject> load() {
    return Future.fromCompletionStage(
            ssm.getParameter(b -> b.name(parameter).withDecryption(true)),
            vertx.getOrCreateContext())
        .map(response -> parse(parameter, response.parameter().value()));
  }

  static JsonObject parse(String parameter, String value) {
    JsonObject jwks;
    try {
      jwks = new JsonObject(value);
    } catch (DecodeException e) {
      throw new IllegalStateException(notAJwks(parameter));
    }
    if (!(jwks.getValue("keys") instanceof JsonArray keys) || keys.isEmpty()) {
      throw new IllegalStateException(notAJwks(parameter));
    }
    return jwks;
  }

  private static String notAJwks(String parameter) {
    return "SSM parameter "
        + parameter
        + " does not hold a JWKS ({\"keys\":[…]} with at least one public key): see docs/deploy.md, Signing key";
  }

  /** Closes the client off the event loop (it shuts its Netty threads down). */
  Future<Void> close() {
    return vertx.executeBlocking(
        () -> {
          ssm.close();
          return null;
        });
  }
}
