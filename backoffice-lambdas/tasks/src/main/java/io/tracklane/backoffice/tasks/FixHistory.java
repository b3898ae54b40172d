package io.tracklane.backoffice.tasks;

import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.core.fix.Fix;
import io.tracklane.fixestable.DynamoClientFactory;
import io.tracklane.fixestable.FixItemCodec;
import io.tracklane.fixestable.StoredFix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * A task's GPS track as the gateway stored it in DynamoDB: items keyed (taskId S, ts N) with lat,
 * lon, optional acc, spd, hdg, alt, bat, and receivedAt (the {@link FixItemCodec} layout). Reads
 * pages in ts order with a Query; the page cursor wraps the key of the last fix returned, which is
 * passed back as the next Query's {@code ExclusiveStartKey}.
 */
public final class FixHistory {
  static final String TASK_ID = FixItemCodec.TASK_ID;
  static final String TS = FixItemCodec.TS;

  /** One Query, SDK retries included; the Lambda's own timeout (30 s) stays above it. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  private final DynamoDbClient ddb;
  private final String table;

  public FixHistory(DynamoDbClient ddb, String table) {
    this.ddb = ddb;
    this.table = table;
  }

  /**
   * The one client of a container (built in the init phase), from {@code
   * TRACKLANE_DYNAMODB_ENDPOINT} (empty = AWS), {@code AWS_REGION}: synchronous, on the URL
   * connection HTTP client. A local endpoint (dynalite) gets dummy credentials unless AWS keys are
   * set. A call, SDK retries included, gives up after {@link #CALL_TIMEOUT}.
   */
  public static DynamoDbClient client(BackofficeConfig config) {
    return DynamoClientFactory.createSync(
        new DynamoClientFactory.Settings(
            config.get(BackofficeSettings.DYNAMODB_ENDPOINT),
            config.get(BackofficeSettings.AWS_REGION),
            1,
            true,
            null,
            CALL_TIMEOUT));
  }

  public String table() {
    return table;
  }

  /** One page of fixes. {@code nextAfterTs}: the ts to continue after, or null on the last page. */
  public record Page(List<StoredFix> items, Long nextAfterTs) {
    public List<Fix> fixes() {
      return items.stream().map(StoredFix::fix).toList();
    }
  }

  /**
   * Fixes of {@code taskId} with {@code from <= ts <= to}, ascending, at most {@code limit},
   * starting after {@code afterTs} (null = from the start of the range).
   */
  public Page query(String taskId, long from, long to, int limit, Long afterTs) {
    if (from > to || (afterTs != null && afterTs >= to)) return new Page(List.of(), null);
    var request =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("#task = :task AND #ts BETWEEN :from AND :to")
            .projectionExpression("#ts, #lat, #lon, #acc, #spd, #hdg, #alt, #bat, #rcv")
            .expressionAttributeNames(
                Map.of(
                    "#task",
                    TASK_ID,
                    "#ts",
                    TS,
                    "#lat",
                    "lat",
                    "#lon",
                    "lon",
                    "#acc",
                    "acc",
                    "#spd",
                    "spd",
                    "#hdg",
                    "hdg",
                    "#alt",
                    "alt",
                    "#bat",
                    "bat",
                    "#rcv",
                    FixItemCodec.RECEIVED_AT))
            .expressionAttributeValues(
                Map.of(
                    ":task",
                    AttributeValue.fromS(taskId),
                    ":from",
                    AttributeValue.fromN(Long.toString(from)),
                    ":to",
                    AttributeValue.fromN(Long.toString(to))))
            .scanIndexForward(true)
            // one more than asked: whether a next page exists is known without an empty last page
            .limit(limit + 1)
            .consistentRead(false);
    if (afterTs != null && afterTs >= from) {
      request.exclusiveStartKey(
          Map.of(
              TASK_ID,
              AttributeValue.fromS(taskId),
              TS,
              AttributeValue.fromN(Long.toString(afterTs))));
    }
    QueryResponse response = ddb.query(request.build());
    List<StoredFix> fixes = new ArrayList<>(Math.min(limit, response.count()));
    for (Map<String, AttributeValue> item : response.items()) {
      if (fixes.size() == limit) break;
      fixes.add(new StoredFix(taskId, null, toFix(item), receivedAt(item)));
    }
    Long next = null;
    if (response.items().size() > limit) {
      next = fixes.get(fixes.size() - 1).ts();
    } else if (response.hasLastEvaluatedKey() && response.lastEvaluatedKey().containsKey(TS)) {
      // DynamoDB stopped early (1 MB per page): continue where it stopped
      next = Long.parseLong(response.lastEvaluatedKey().get(TS).n());
    }
    return new Page(fixes, next);
  }

  /**
   * Every fix of {@code taskId}, ascending. Null when there are more than {@code max}: a check over
   * the whole ride must not silently judge part of it.
   */
  public List<StoredFix> all(String taskId, int max) {
    List<StoredFix> out = new ArrayList<>();
    Long after = null;
    do {
      Page page = query(taskId, 0, Long.MAX_VALUE, Math.min(1000, max + 1), after);
      out.addAll(page.items());
      if (out.size() > max) return null;
      after = page.nextAfterTs();
    } while (after != null);
    return out;
  }

  static Fix toFix(Map<String, AttributeValue> item) {
    return FixItemCodec.toFix(item);
  }

  /** The gateway's receive time (epoch ms), or null on an item written without it. */
  static Long receivedAt(Map<String, AttributeValue> item) {
    return FixItemCodec.toStoredFix(item).receivedAt();
  }
}
