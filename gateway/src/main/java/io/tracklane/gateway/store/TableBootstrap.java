package io.tracklane.gateway.store;

import io.tracklane.fixestable.FixItemCodec;
import io.tracklane.fixestable.FixesTableSchema;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** Development only: creates the fixes table (and its rider index) when it is missing. */
public final class TableBootstrap {
  private static final Logger log = LoggerFactory.getLogger(TableBootstrap.class);

  private TableBootstrap() {}

  public static Future<Void> ensureTable(Vertx vertx, DynamoDbAsyncClient ddb, String table) {
    return Future.fromCompletionStage(
            ddb.describeTable(b -> b.tableName(table)), vertx.getOrCreateContext())
        .<Void>map(r -> null)
        .recover(
            err -> {
              if (!(AsyncFailures.unwrap(err) instanceof ResourceNotFoundException))
                return Future.failedFuture(err);
              log.info("creating DynamoDB table {}", table);
              return Future.fromCompletionStage(
                      ddb.createTable(FixesTableSchema.createTable(table)),
                      vertx.getOrCreateContext())
                  .compose(r -> waitActive(vertx, ddb, table, 50))
                  .compose(v -> enableTtl(vertx, ddb, table));
            });
  }

  private static Future<Void> waitActive(
      Vertx vertx, DynamoDbAsyncClient ddb, String table, int triesLeft) {
    return Future.fromCompletionStage(
            ddb.describeTable(b -> b.tableName(table)), vertx.getOrCreateContext())
        .compose(
            r -> {
              if (r.table().tableStatus() == TableStatus.ACTIVE)
                return Future.<Void>succeededFuture();
              if (triesLeft <= 0)
                return Future.failedFuture("table " + table + " did not become ACTIVE");
              return vertx.timer(100).compose(t -> waitActive(vertx, ddb, table, triesLeft - 1));
            });
  }

  private static Future<Void> enableTtl(Vertx vertx, DynamoDbAsyncClient ddb, String table) {
    return Future.fromCompletionStage(
            ddb.updateTimeToLive(
                b ->
                    b.tableName(table)
                        .timeToLiveSpecification(
                            s -> s.attributeName(FixItemCodec.EXPIRES_AT).enabled(true))),
            vertx.getOrCreateContext())
        .<Void>map(r -> null)
        .recover(
            err -> {
              // dynalite has no TTL support; expiry is an AWS-side concern anyway.
              log.info(
                  "TTL not enabled on {} ({}); fine for local development",
                  table,
                  AsyncFailures.unwrap(err).getMessage());
              return Future.succeededFuture();
            });
  }
}
