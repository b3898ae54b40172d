package io.tracklane.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** The real AWS SDK v2 (which checks x-amz-crc32) against dynalite through the fault proxy. */
class DynamoFaultProxySdkTest {

  private static Vertx vertx;
  private static DynamoFaultProxy proxy;
  private static DynamoDbAsyncClient sdk;
  private static int tableSeq;

  private String table;

  @BeforeAll
  static void startAll() throws Exception {
    vertx = Vertx.vertx();
    Dynalite dynalite = Dynalite.shared();
    proxy = DynamoFaultProxy.start(vertx, "127.0.0.1", dynalite.port()).await(10, TimeUnit.SECONDS);
    sdk =
        DynamoDbAsyncClient.builder()
            .endpointOverride(URI.create(proxy.endpoint()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
            .httpClientBuilder(NettyNioAsyncHttpClient.builder())
            .build();
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (sdk != null) {
      sdk.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void freshTable() throws Exception {
    proxy.reset();
    table = "sdk-" + ProcessHandle.current().pid() + "-" + (++tableSeq);
    sdk.createTable(
            b ->
                b.tableName(table)
                    .attributeDefinitions(
                        AttributeDefinition.builder()
                            .attributeName("id")
                            .attributeType(ScalarAttributeType.S)
                            .build())
                    .keySchema(
                        KeySchemaElement.builder()
                            .attributeName("id")
                            .keyType(KeyType.HASH)
                            .build())
                    .billingMode(BillingMode.PAY_PER_REQUEST))
        .get(10, TimeUnit.SECONDS);
  }

  private static List<WriteRequest> puts(int n) {
    List<WriteRequest> writes = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      writes.add(
          WriteRequest.builder()
              .putRequest(
                  PutRequest.builder()
                      .item(
                          Map.of(
                              "id", AttributeValue.fromS("fix-" + i),
                              "lat", AttributeValue.fromN("52.5" + i)))
                      .build())
              .build());
    }
    return writes;
  }

  private int count() throws Exception {
    return sdk.scan(b -> b.tableName(table).select(Select.COUNT)).get(10, TimeUnit.SECONDS).count();
  }

  @Test
  void sdkAcceptsInjectedUnprocessedItems() throws Exception {
    proxy.injectUnprocessed(1);

    BatchWriteItemResponse resp =
        sdk.batchWriteItem(b -> b.requestItems(Map.of(table, puts(4)))).get(10, TimeUnit.SECONDS);

    List<WriteRequest> unprocessed = resp.unprocessedItems().get(table);
    assertEquals(2, unprocessed.size());
    assertEquals("fix-3", unprocessed.get(0).putRequest().item().get("id").s());
    assertEquals(2, count());
  }

  @Test
  void sdkRetriesInjectedThrottlingAndServerErrors() throws Exception {
    int seenBefore = proxy.batchWriteRequests();
    proxy.injectThrottling(1);
    proxy.injectServerErrors(1);

    BatchWriteItemResponse resp =
        sdk.batchWriteItem(b -> b.requestItems(Map.of(table, puts(4)))).get(30, TimeUnit.SECONDS);

    assertTrue(resp.unprocessedItems().isEmpty());
    assertEquals(seenBefore + 3, proxy.batchWriteRequests(), "two faults, then success");
    assertEquals(4, count());
  }
}
