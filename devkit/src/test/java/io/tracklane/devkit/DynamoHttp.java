package io.tracklane.devkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Raw DynamoDB JSON-protocol calls over java.net.http, as the AWS SDK v2 would send them. */
final class DynamoHttp {

  /** dynalite requires these headers to exist but does not check the signature. */
  static final String AUTHORIZATION =
      "AWS4-HMAC-SHA256 "
          + "Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, "
          + "SignedHeaders=host;x-amz-date, Signature=abc";

  static final String AMZ_DATE = "20260101T000000Z";

  private static final AtomicInteger TABLE_SEQ = new AtomicInteger();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String endpoint;

  DynamoHttp(String endpoint) {
    this.endpoint = endpoint;
  }

  HttpRequest request(String operation, JsonObject body) {
    return HttpRequest.newBuilder(URI.create(endpoint + "/"))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/x-amz-json-1.0")
        .header("X-Amz-Target", "DynamoDB_20120810." + operation)
        .header("X-Amz-Date", AMZ_DATE)
        .header("Authorization", AUTHORIZATION)
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
        .build();
  }

  HttpResponse<String> call(String operation, JsonObject body)
      throws IOException, InterruptedException {
    return http.send(request(operation, body), HttpResponse.BodyHandlers.ofString());
  }

  CompletableFuture<HttpResponse<String>> callAsync(String operation, JsonObject body) {
    return http.sendAsync(request(operation, body), HttpResponse.BodyHandlers.ofString());
  }

  /** Calls and insists on HTTP 200, returning the parsed body. */
  JsonObject ok(String operation, JsonObject body) throws IOException, InterruptedException {
    HttpResponse<String> resp = call(operation, body);
    if (resp.statusCode() != 200) {
      throw new AssertionError(operation + " -> " + resp.statusCode() + " " + resp.body());
    }
    return new JsonObject(resp.body());
  }

  /** Creates a fresh table with string hash key "id" and returns its name. */
  String createTable(String prefix) throws IOException, InterruptedException {
    String name = prefix + "-" + ProcessHandle.current().pid() + "-" + TABLE_SEQ.incrementAndGet();
    ok(
        "CreateTable",
        new JsonObject()
            .put("TableName", name)
            .put(
                "AttributeDefinitions",
                new JsonArray()
                    .add(new JsonObject().put("AttributeName", "id").put("AttributeType", "S")))
            .put(
                "KeySchema",
                new JsonArray()
                    .add(new JsonObject().put("AttributeName", "id").put("KeyType", "HASH")))
            .put("BillingMode", "PAY_PER_REQUEST"));
    // dynalite answers CREATING and turns ACTIVE a moment later (even with --createTableMs 0);
    // writes before then fail with ResourceNotFoundException, as on AWS.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"ACTIVE"
        .equals(
            ok("DescribeTable", new JsonObject().put("TableName", name))
                .getJsonObject("Table")
                .getString("TableStatus"))) {
      if (System.nanoTime() > deadline)
        throw new IllegalStateException("table " + name + " never became ACTIVE");
      java.util.concurrent.TimeUnit.MILLISECONDS.sleep(10);
    }
    return name;
  }

  /** A BatchWriteItem body with {@code n} PutRequests (ids fix-1..fix-n). */
  static JsonObject batchPut(String table, int n) {
    JsonArray writes = new JsonArray();
    for (int i = 1; i <= n; i++) {
      writes.add(
          new JsonObject()
              .put(
                  "PutRequest",
                  new JsonObject()
                      .put(
                          "Item",
                          new JsonObject()
                              .put("id", new JsonObject().put("S", "fix-" + i))
                              .put("lat", new JsonObject().put("N", "52.52" + i))
                              .put("lon", new JsonObject().put("N", "13.40" + i)))));
    }
    return new JsonObject().put("RequestItems", new JsonObject().put(table, writes));
  }

  int count(String table) throws IOException, InterruptedException {
    return ok("Scan", new JsonObject().put("TableName", table).put("Select", "COUNT"))
        .getInteger("Count");
  }
}
