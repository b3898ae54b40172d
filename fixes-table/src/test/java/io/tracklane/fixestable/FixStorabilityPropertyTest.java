package io.tracklane.fixestable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.core.fix.Fix;
import io.tracklane.core.fix.FixError;
import io.tracklane.core.fix.FixLimits;
import io.tracklane.core.fix.FixPayloadParser;
import io.tracklane.core.fix.ParsedFixes;
import io.tracklane.devkit.Dynalite;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Property: a fix the parser accepts is always storable. A seeded generator draws every field from
 * across the whole double range (random bit patterns, so subnormals, NaN and infinities too; random
 * decimal exponents from -400 to 400; each field's bounds and their neighbours; DynamoDB's own
 * limits; long digit strings), renders it as JSON text in several notations, and sends it through
 * parser → item codec → BatchWriteItem on a real dynalite. Every accepted fix must be written (no
 * error, nothing unprocessed) and read back equal to what was parsed.
 */
class FixStorabilityPropertyTest {
  static final long SEED = 0x7AC4_1A4EL;
  static final int ACCEPTED_WANTED = 10_000;
  static final long NOW = 1_764_200_000_000L;
  static final FixPayloadParser PARSER = new FixPayloadParser(FixLimits.DEFAULTS);
  static final String[] OPTIONAL = {"acc", "spd", "hdg", "alt", "bat"};

  static DynamoDbAsyncClient ddb;
  static String table;

  @BeforeAll
  static void start() {
    Dynalite dynalite = Dynalite.shared();
    ddb =
        DynamoClientFactory.create(
            new DynamoClientFactory.Settings(
                dynalite.endpoint(), "us-east-1", 16, true, null, Duration.ofSeconds(30)));
    table = "storability-" + UUID.randomUUID().toString().substring(0, 8);
    ddb.createTable(FixesTableSchema.createTable(table)).join();
  }

  @AfterAll
  static void stop() {
    ddb.deleteTable(b -> b.tableName(table)).join();
    ddb.close();
  }

  @Test
  void everyAcceptedFixIsStorableAndReadsBackEqual() {
    SplittableRandom random = new SplittableRandom(SEED);
    List<Fix> accepted = new ArrayList<>();
    int generated = 0;
    int refused = 0;
    Map<String, Integer> refusedByField = new HashMap<>();
    while (accepted.size() < ACCEPTED_WANTED) {
      // Distinct timestamps (the table key) within the parser's accepted window.
      long ts = NOW - 1_000_000L + generated;
      String json = randomFixJson(random, ts);
      generated++;
      ParsedFixes parsed =
          PARSER.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), NOW);
      if (!parsed.isValid()) {
        refused++;
        for (FixError e : parsed.errors()) {
          assertTrue(
              e.field() != null && !e.message().isBlank(),
              "a refusal names the field: " + e + " for " + json);
          refusedByField.merge(e.field(), 1, Integer::sum);
        }
        continue;
      }
      accepted.add(parsed.fixes().get(0));
    }

    String task = "prop";
    for (int from = 0; from < accepted.size(); from += 25) {
      List<WriteRequest> puts = new ArrayList<>(25);
      for (Fix fix : accepted.subList(from, Math.min(from + 25, accepted.size()))) {
        Map<String, AttributeValue> item = FixItemCodec.toItem(task, "rider-1", fix, NOW, 86_400);
        for (AttributeValue v : item.values()) {
          if (v.n() != null) assertNumberTextIsPlain(v.n(), fix);
        }
        puts.add(
            WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
      }
      BatchWriteItemResponse r =
          ddb.batchWriteItem(b -> b.requestItems(Map.of(table, puts))).join();
      assertTrue(
          r.unprocessedItems().getOrDefault(table, List.of()).isEmpty(),
          "dynalite never leaves items unprocessed");
    }

    List<Fix> stored = readAll(task);
    assertEquals(accepted, stored, "every accepted fix reads back exactly as parsed");
    System.out.printf(
        "storability: %d generated, %d accepted and stored, %d refused %s%n",
        generated, accepted.size(), refused, refusedByField);
    // The generator really covered the refusal side too: every bounded field saw out-of-range
    // values.
    for (String f : new String[] {"lat", "lon", "acc", "spd", "hdg", "alt", "bat"}) {
      assertTrue(
          refusedByField.getOrDefault(f, 0) > 50,
          "too few refusals of " + f + ": " + refusedByField);
    }
  }

  private static void assertNumberTextIsPlain(String n, Fix fix) {
    assertFalse(n.contains("E") || n.contains("e"), "no exponent: " + n + " in " + fix);
    String digits =
        n.replace("-", "").replace(".", "").replaceFirst("^0+", "").replaceFirst("0+$", "");
    assertTrue(digits.length() <= 38, "at most 38 significant digits: " + n);
    if (!n.equals("0")) {
      BigDecimal abs = new BigDecimal(n).abs();
      assertTrue(
          abs.compareTo(new BigDecimal("1E-130")) >= 0
              && abs.compareTo(new BigDecimal("1E126")) < 0,
          "within DynamoDB's range: " + n);
    }
  }

  private static List<Fix> readAll(String task) {
    List<Fix> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse r =
          ddb.query(
                  b ->
                      b.tableName(table)
                          .keyConditionExpression("taskId = :t")
                          .expressionAttributeValues(Map.of(":t", AttributeValue.fromS(task)))
                          .consistentRead(true)
                          .exclusiveStartKey(from))
              .join();
      r.items().forEach(i -> out.add(FixItemCodec.toFix(i)));
      start =
          r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    } while (start != null);
    return out;
  }

  // ---- generator ------------------------------------------------------------------------------

  static String randomFixJson(SplittableRandom r, long ts) {
    StringBuilder json = new StringBuilder("{\"ts\":").append(ts);
    json.append(",\"lat\":").append(number(r, -90, 90));
    json.append(",\"lon\":").append(number(r, -180, 180));
    double[][] ranges = {{0, 100_000}, {0, 500}, {0, 360}, {-1_000, 20_000}, {0, 1}};
    for (int i = 0; i < OPTIONAL.length; i++) {
      if (r.nextInt(3) == 0) continue; // absent
      json.append(",\"")
          .append(OPTIONAL[i])
          .append("\":")
          .append(number(r, ranges[i][0], ranges[i][1]));
    }
    return json.append('}').toString();
  }

  /** JSON number text; mostly plausible for the field's range [lo, hi] so most fixes pass. */
  static String number(SplittableRandom r, double lo, double hi) {
    int pick = r.nextInt(100);
    if (pick < 70) return render(r, lo + r.nextDouble() * (hi - lo)); // in range
    if (pick < 78) return render(r, edge(r, lo, hi));
    if (pick < 86) { // any magnitude 1e-400 .. 1e400, either sign
      String digits = Long.toString(1 + r.nextLong(999_999_999L));
      return (r.nextBoolean() ? "-" : "")
          + digits.charAt(0)
          + "."
          + digits.substring(1)
          + "e"
          + (r.nextInt(801) - 400);
    }
    if (pick
        < 92) { // any bit pattern: subnormals, NaN and infinities included (not finite = not JSON)
      double d = Double.longBitsToDouble(r.nextLong());
      if (Double.isNaN(d))
        return "\"NaN\""; // JSON has no NaN: as a string, the field must be refused
      if (Double.isInfinite(d))
        return d > 0 ? "1e999" : "-1e999"; // overflows to an infinity when decoded
      return render(r, d);
    }
    if (pick < 96) { // long digit strings, beyond a double's and DynamoDB's precision
      StringBuilder s =
          new StringBuilder(r.nextBoolean() ? "-" : "").append(r.nextInt(100)).append('.');
      int n = 20 + r.nextInt(60);
      for (int i = 0; i < n; i++) s.append((char) ('0' + r.nextInt(10)));
      return s.toString();
    }
    // tiny magnitudes around DynamoDB's 1E-130 limit
    return render(r, (r.nextBoolean() ? -1 : 1) * Math.pow(10, -125 - r.nextDouble() * 200));
  }

  static double edge(SplittableRandom r, double lo, double hi) {
    double[] edges = {
      lo,
      hi,
      Math.nextDown(lo),
      Math.nextUp(hi),
      Math.nextUp(lo),
      Math.nextDown(hi),
      -0.0,
      0.0,
      1e-130,
      -1e-130,
      9.99e-131,
      Double.MIN_VALUE,
      -Double.MIN_VALUE,
      Double.MIN_NORMAL,
      9.9999e125,
      1e126,
      Double.MAX_VALUE,
      -Double.MAX_VALUE
    };
    return edges[r.nextInt(edges.length)];
  }

  static String render(SplittableRandom r, double d) {
    return switch (r.nextInt(3)) {
      case 0 -> Double.toString(d); // 1.0E-7 style
      case 1 ->
          new BigDecimal(d).toString(); // exact binary value, often 50+ digits, maybe E notation
      default -> BigDecimal.valueOf(d).toPlainString(); // shortest decimal, plain
    };
  }
}
