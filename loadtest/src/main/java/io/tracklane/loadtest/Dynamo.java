package io.tracklane.loadtest;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

/** A direct DynamoDB client for the local dynalite, and a bounded item count. */
public final class Dynamo {
  private static final int MAX_SCAN_PAGES = 100_000;

  private Dynamo() {}

  /**
   * A client configured like the gateway's (same HTTP pool sizing, SDK retries off: every request
   * counts once), with dummy credentials (dynalite checks that a signature exists, not that it is
   * valid). Only loopback endpoints are accepted.
   */
  public static DynamoDbAsyncClient client(String endpoint, int writesInFlight) {
    URI uri = URI.create(endpoint);
    MqttFleet.requireLoopback(uri.getHost());
    return DynamoDbAsyncClient.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(uri)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .httpClientBuilder(
            NettyNioAsyncHttpClient.builder()
                .maxConcurrency(Math.max(64, 4 * writesInFlight))
                .connectionTimeout(Duration.ofSeconds(2))
                .connectionAcquisitionTimeout(Duration.ofSeconds(10)))
        .overrideConfiguration(
            o ->
                o.retryStrategy(AwsRetryStrategy.doNotRetry())
                    .apiCallAttemptTimeout(Duration.ofSeconds(30)))
        .build();
  }

  /** Scan COUNT of the whole table, page by page; fails if it takes longer than {@code timeout}. */
  public static long count(DynamoDbAsyncClient ddb, String table, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long total = 0;
    Map<String, AttributeValue> start = null;
    for (int page = 0; page < MAX_SCAN_PAGES; page++) {
      Map<String, AttributeValue> from = start;
      long left = Math.max(1, deadline - System.nanoTime());
      ScanResponse r =
          ddb.scan(b -> b.tableName(table).select(Select.COUNT).exclusiveStartKey(from))
              .get(left, TimeUnit.NANOSECONDS);
      total += r.count();
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
      if (start == null) return total;
    }
    throw new IllegalStateException(
        "Scan of " + table + " did not finish within " + MAX_SCAN_PAGES + " pages");
  }
}
