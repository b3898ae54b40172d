package io.tracklane.gateway.live;

import io.tracklane.core.fix.Fix;
import io.tracklane.fixestable.FixItemCodec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One DynamoDB Query on the fixes table: key {@code taskId = :t AND ts < :before}, newest first
 * ({@code ScanIndexForward=false}), {@code Limit} = the number wanted, then reversed into ts order.
 */
public final class DynamoFixHistory implements FixHistory {
  private final Context context;
  private final DynamoDbAsyncClient ddb;
  private final String table;

  public DynamoFixHistory(Context context, DynamoDbAsyncClient ddb, String table) {
    this.context = context;
    this.ddb = ddb;
    this.table = table;
  }

  @Override
  public Future<List<Fix>> latestBefore(String taskId, long beforeTs, int limit) {
    return Future.fromCompletionStage(
            ddb.query(
                b ->
                    b.tableName(table)
                        .keyConditionExpression("#t = :t AND #ts < :before")
                        .expressionAttributeNames(
                            Map.of("#t", FixItemCodec.TASK_ID, "#ts", FixItemCodec.TS))
                        .expressionAttributeValues(
                            Map.of(
                                ":t",
                                AttributeValue.fromS(taskId),
                                ":before",
                                AttributeValue.fromN(Long.toString(beforeTs))))
                        .scanIndexForward(false)
                        .limit(limit)),
            context)
        .map(
            r -> {
              List<Fix> fixes = new ArrayList<>(r.items().size());
              for (Map<String, AttributeValue> item : r.items())
                fixes.add(FixItemCodec.toFix(item));
              Collections.reverse(fixes);
              return fixes;
            });
  }
}
