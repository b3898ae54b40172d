package io.tracklane.loadtest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * After a run: is every acknowledged fix in the table? For each task, the stored ts values in the
 * acknowledged range are read back (a key-only Query) and every acknowledged ts must be among them;
 * a sample of riders' last acknowledged fixes is read in full and its position compared.
 */
public final class AckedFixAudit {
  /**
   * @param tasks tasks checked
   * @param acknowledged distinct fixes acknowledged to the fleet
   * @param lost acknowledged fixes missing from the table
   * @param spotChecked fixes read back in full
   * @param spotMismatches of those, stored with another position (or missing)
   * @param firstProblem the first missing or mismatched fix, or "" if none
   */
  public record Result(
      int tasks,
      long acknowledged,
      long lost,
      int spotChecked,
      int spotMismatches,
      double seconds,
      String firstProblem) {}

  private AckedFixAudit() {}

  public static Result check(
      DynamoDbAsyncClient ddb, String table, List<MqttFleet.AckedFixes> riders, int spotChecks)
      throws Exception {
    long started = System.nanoTime();
    AtomicLong lost = new AtomicLong();
    AtomicReference<String> first = new AtomicReference<>("");
    Semaphore inFlight = new Semaphore(32);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    long acknowledged = 0;
    for (MqttFleet.AckedFixes r : riders) {
      if (r.ts().isEmpty()) continue;
      acknowledged += r.ts().size();
      inFlight.acquire();
      long from = Collections.min(r.ts());
      long to = Collections.max(r.ts());
      CompletableFuture<Void> f =
          storedTs(ddb, table, r.taskId(), from, to, null, new HashSet<>())
              .thenAccept(
                  stored -> {
                    long missing = r.ts().stream().filter(ts -> !stored.contains(ts)).count();
                    if (missing > 0) {
                      lost.addAndGet(missing);
                      first.compareAndSet(
                          "", missing + " acknowledged fixes of " + r.taskId() + " are not stored");
                    }
                  })
              .whenComplete((v, e) -> inFlight.release());
      all.add(f);
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);

    List<MqttFleet.AckedFixes> sample =
        new ArrayList<>(riders.stream().filter(r -> r.lastTs() >= 0).toList());
    Collections.shuffle(sample, new Random(42));
    sample = sample.subList(0, Math.min(spotChecks, sample.size()));
    int mismatches = 0;
    for (MqttFleet.AckedFixes r : sample) {
      Map<String, AttributeValue> item =
          ddb.getItem(
                  b ->
                      b.tableName(table)
                          .consistentRead(true)
                          .key(
                              Map.of(
                                  "taskId",
                                  AttributeValue.fromS(r.taskId()),
                                  "ts",
                                  AttributeValue.fromN(Long.toString(r.lastTs())))))
              .get(30, TimeUnit.SECONDS)
              .item();
      boolean same =
          item != null
              && !item.isEmpty()
              && Math.abs(Double.parseDouble(item.get("lat").n()) - r.lastLat()) < 1e-6
              && Math.abs(Double.parseDouble(item.get("lon").n()) - r.lastLon()) < 1e-6
              && r.riderId().equals(item.get("riderId").s());
      if (!same) {
        mismatches++;
        first.compareAndSet("", "fix " + r.taskId() + "@" + r.lastTs() + " stored as " + item);
      }
    }
    return new Result(
        riders.size(),
        acknowledged,
        lost.get(),
        sample.size(),
        mismatches,
        (System.nanoTime() - started) / 1e9,
        first.get());
  }

  private static CompletableFuture<Set<Long>> storedTs(
      DynamoDbAsyncClient ddb,
      String table,
      String taskId,
      long from,
      long to,
      Map<String, AttributeValue> start,
      Set<Long> into) {
    QueryRequest.Builder q =
        QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression("taskId = :t AND #ts BETWEEN :from AND :to")
            .expressionAttributeNames(Map.of("#ts", "ts"))
            .expressionAttributeValues(
                Map.of(
                    ":t",
                    AttributeValue.fromS(taskId),
                    ":from",
                    AttributeValue.fromN(Long.toString(from)),
                    ":to",
                    AttributeValue.fromN(Long.toString(to))))
            .projectionExpression("#ts")
            .consistentRead(true);
    if (start != null) q.exclusiveStartKey(start);
    return ddb.query(q.build())
        .thenCompose(
            (QueryResponse r) -> {
              for (Map<String, AttributeValue> item : r.items())
                into.add(Long.parseLong(item.get("ts").n()));
              if (r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()) {
                return storedTs(ddb, table, taskId, from, to, r.lastEvaluatedKey(), into);
              }
              return CompletableFuture.completedFuture(into);
            });
  }
}
