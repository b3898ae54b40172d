package io.tracklane.fixestable;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbBaseClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the DynamoDB client of a process (one per process, built at start-up) from plain values:
 * the async one on Netty for the gateway ({@link #create}), the synchronous one on the JDK's URL
 * connection for the back-office Lambdas ({@link #createSync}), which block on one request at a
 * time and gain nothing from an event loop but its start-up cost.
 */
public final class DynamoClientFactory {

  /**
   * @param endpoint empty for AWS; otherwise a local DynamoDB-compatible server (dynalite), which
   *     gets dummy credentials unless AWS keys are set in the environment
   * @param maxConcurrency the async client's open requests at once (the synchronous client makes
   *     one per calling thread)
   * @param sdkRetries false when the caller owns retries (the gateway's writer: an SDK retry hidden
   *     inside one call would hold a write slot without anyone seeing it)
   * @param attemptTimeout one HTTP attempt; null for none
   * @param apiCallTimeout the whole call including SDK retries; null for none
   */
  public record Settings(
      String endpoint,
      String region,
      int maxConcurrency,
      boolean sdkRetries,
      Duration attemptTimeout,
      Duration apiCallTimeout) {
    public Settings {
      endpoint = endpoint == null ? "" : endpoint.trim();
      if (region == null || region.isBlank())
        throw new IllegalArgumentException("region is required");
      if (maxConcurrency < 1)
        throw new IllegalArgumentException("maxConcurrency must be >= 1, got " + maxConcurrency);
    }
  }

  /** How long to wait for a TCP connection to DynamoDB (or dynalite). */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private DynamoClientFactory() {}

  /** The async client on Netty (the gateway). */
  public static DynamoDbAsyncClient create(Settings s) {
    return common(DynamoDbAsyncClient.builder(), s)
        .httpClientBuilder(
            NettyNioAsyncHttpClient.builder()
                .maxConcurrency(s.maxConcurrency())
                .connectionTimeout(CONNECT_TIMEOUT)
                .connectionAcquisitionTimeout(Duration.ofSeconds(10)))
        .build();
  }

  /**
   * The synchronous client on {@link UrlConnectionHttpClient} (the back-office Lambdas): no Netty,
   * no event-loop threads; {@code maxConcurrency} does not apply.
   */
  public static DynamoDbClient createSync(Settings s) {
    return common(DynamoDbClient.builder(), s)
        .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT))
        .build();
  }

  /** Region, credentials, endpoint, retries and timeouts: the same for both clients. */
  private static <B extends DynamoDbBaseClientBuilder<B, C>, C> B common(B builder, Settings s) {
    builder
        .region(Region.of(s.region()))
        .credentialsProvider(credentials(s.endpoint()))
        .overrideConfiguration(
            o -> {
              if (!s.sdkRetries()) o.retryStrategy(AwsRetryStrategy.doNotRetry());
              if (s.attemptTimeout() != null) o.apiCallAttemptTimeout(s.attemptTimeout());
              if (s.apiCallTimeout() != null) o.apiCallTimeout(s.apiCallTimeout());
            });
    if (!s.endpoint().isEmpty()) builder.endpointOverride(URI.create(s.endpoint()));
    return builder;
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
