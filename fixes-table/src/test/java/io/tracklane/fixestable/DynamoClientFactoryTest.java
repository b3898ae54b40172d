package io.tracklane.fixestable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tracklane.core.fix.Fix;
import io.tracklane.devkit.Dynalite;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The factory's two clients on a real dynalite: the synchronous one (back-office Lambdas) reads
 * what the gateway's async one wrote and the other way round, so both get the same endpoint, region
 * and credentials from one {@link DynamoClientFactory.Settings}.
 */
class DynamoClientFactoryTest {
  static DynamoDbAsyncClient async;
  static DynamoDbClient sync;
  static String table;

  @BeforeAll
  static void start() {
    DynamoClientFactory.Settings settings =
        new DynamoClientFactory.Settings(
            Dynalite.shared().endpoint(), "us-east-1", 4, true, null, Duration.ofSeconds(30));
    async = DynamoClientFactory.create(settings);
    sync = DynamoClientFactory.createSync(settings);
    table = "factory-" + UUID.randomUUID().toString().substring(0, 8);
    sync.createTable(FixesTableSchema.createTable(table));
  }

  @AfterAll
  static void stop() {
    sync.deleteTable(b -> b.tableName(table));
    sync.close();
    async.close();
  }

  @Test
  void theSynchronousClientReadsWhatTheAsyncOneWroteAndBack() {
    Fix byGateway = new Fix(1_764_200_000_000L, 31.2304, 121.4737, 5.0, 4.2, 90.0, null, 0.8);
    async
        .putItem(
            b ->
                b.tableName(table)
                    .item(FixItemCodec.toItem("t1", "r1", byGateway, 1_764_200_000_150L, 3600)))
        .join();
    StoredFix read =
        FixItemCodec.toStoredFix(
            sync.getItem(b -> b.tableName(table).key(FixItemCodec.key("t1", byGateway.ts())))
                .item());
    assertEquals(byGateway, read.fix());
    assertEquals(1_764_200_000_150L, read.receivedAt());

    Fix bySync = Fix.of(1_764_200_001_000L, -33.8688, 151.2093);
    sync.putItem(
        b ->
            b.tableName(table)
                .item(FixItemCodec.toItem("t2", "r2", bySync, 1_764_200_001_200L, 3600)));
    assertEquals(
        bySync,
        FixItemCodec.toFix(
            async
                .getItem(b -> b.tableName(table).key(FixItemCodec.key("t2", bySync.ts())))
                .join()
                .item()));
  }

  @Test
  void anUnreachableEndpointFailsTheSynchronousCallWithAClientError() {
    try (DynamoDbClient down =
        DynamoClientFactory.createSync(
            new DynamoClientFactory.Settings(
                "http://127.0.0.1:9", "us-east-1", 1, false, null, Duration.ofSeconds(10)))) {
      assertThrows(SdkClientException.class, down::listTables);
    }
  }
}
