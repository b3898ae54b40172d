package io.tracklane.backoffice.reports;

import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * Starts a generation by invoking the {@code report_generator} function asynchronously (invocation
 * type Event: Lambda queues it and answers 202 at once), with {@code {"reportId": "…"}}.
 */
public final class LambdaReportJobs implements ReportJobs, AutoCloseable {
  private final LambdaClient lambda;
  private final String functionName;

  public LambdaReportJobs(LambdaClient lambda, String functionName) {
    this.lambda = lambda;
    this.functionName = functionName;
  }

  /** A client for {@code region} with the function's own role (the default chain). */
  public static LambdaReportJobs create(String region, String functionName) {
    LambdaClient client =
        LambdaClient.builder()
            .region(Region.of(region))
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
    return new LambdaReportJobs(client, functionName);
  }

  @Override
  public void start(String reportId) {
    InvokeResponse r =
        lambda.invoke(
            b ->
                b.functionName(functionName)
                    .invocationType(InvocationType.EVENT)
                    .payload(
                        SdkBytes.fromUtf8String(
                            new JsonObject().put("reportId", reportId).encode())));
    if (r.statusCode() != 202) {
      throw new IllegalStateException(
          "invoking " + functionName + " answered " + r.statusCode() + ", not 202");
    }
  }

  @Override
  public void close() {
    lambda.close();
  }
}
