package io.tracklane.gateway.store;

import io.tracklane.gateway.config.GatewayConfig;
import io.tracklane.gateway.config.Setting;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;

/** Builds the one async DynamoDB client the gateway uses. */
public final class DynamoClients {
  private DynamoClients() {}

  public static DynamoDbAsyncClient create(GatewayConfig config) {
    String endpoint = config.string(Setting.DYNAMODB_ENDPOINT);
    var builder = DynamoDbAsyncClient.builder()
        .region(Region.of(config.string(Setting.AWS_REGION)))
        .credentialsProvider(credentials(endpoint))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder()
            .maxConcurrency(Math.max(64, 4 * config.integer(Setting.WRITES_IN_FLIGHT)))
            .connectionTimeout(Duration.ofSeconds(2))
            .connectionAcquisitionTimeout(Duration.ofSeconds(10)))
        .overrideConfiguration(o -> o
            // The FixBatchWriter owns retries (with backoff, metrics and back-pressure); an SDK
            // retry hidden inside one call would hold a write slot without anyone seeing it.
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallAttemptTimeout(Duration.ofMillis(config.longValue(Setting.WRITE_ATTEMPT_TIMEOUT_MS))));
    if (!endpoint.isEmpty()) builder.endpointOverride(URI.create(endpoint));
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(String endpoint) {
    boolean hasEnvKeys = System.getenv("AWS_ACCESS_KEY_ID") != null;
    // A local endpoint (dynalite) accepts any signature; don't make developers configure AWS keys.
    if (!endpoint.isEmpty() && !hasEnvKeys) {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
