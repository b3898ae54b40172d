package io.tracklane.backoffice.receipts.ocr.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.receipts.ocr.ReceiptReader;
import io.tracklane.backoffice.receipts.ocr.ReceiptReading;
import io.tracklane.backoffice.receipts.ocr.testing.TestImages;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.textract.TextractClient;

/**
 * The Textract provider against AnalyzeExpense responses written in the API's own JSON shape. The
 * real SDK client parses them: only the HTTP transport is replaced, by one that answers with the
 * document (no network, no credentials).
 */
class TextractExpenseOcrTest {

  private static final String RESPONSE =
      """
      {"DocumentMetadata":{"Pages":1},
       "ExpenseDocuments":[{"ExpenseIndex":1,
         "SummaryFields":[
           {"Type":{"Text":"VENDOR_NAME","Confidence":97.1},"ValueDetection":{"Text":"CORNER COFFEE PTE LTD","Confidence":96.0},"PageNumber":1},
           {"Type":{"Text":"INVOICE_RECEIPT_DATE","Confidence":95.0},"ValueDetection":{"Text":"14/03/2018","Confidence":94.2},"PageNumber":1},
           {"Type":{"Text":"SUBTOTAL","Confidence":99.0},"ValueDetection":{"Text":"12.74","Confidence":99.0},"PageNumber":1},
           {"Type":{"Text":"TOTAL","Confidence":71.0},"LabelDetection":{"Text":"Total Qty","Confidence":70.0},"ValueDetection":{"Text":"3","Confidence":80.0},"PageNumber":1},
           {"Type":{"Text":"TOTAL","Confidence":99.2},"LabelDetection":{"Text":"TOTAL","Confidence":99.0},"ValueDetection":{"Text":"S$13.50","Confidence":98.7},"PageNumber":1,"Currency":{"Code":"SGD","Confidence":90.0}},
           {"Type":{"Text":"AMOUNT_PAID","Confidence":95.0},"LabelDetection":{"Text":"CASH","Confidence":95.0},"ValueDetection":{"Text":"20.00","Confidence":97.0},"PageNumber":1}],
         "LineItemGroups":[],
         "Blocks":[
           {"BlockType":"LINE","Confidence":99.1,"Text":"CORNER COFFEE PTE LTD","Geometry":{"BoundingBox":{"Width":0.5,"Height":0.03,"Left":0.2,"Top":0.05}}},
           {"BlockType":"LINE","Confidence":98.0,"Text":"TOTAL S$13.50"}]}]}
      """;

  private static final String DOUBTFUL =
      """
      {"ExpenseDocuments":[{"SummaryFields":[
         {"Type":{"Text":"AMOUNT_DUE","Confidence":99.0},"ValueDetection":{"Text":"0.00","Confidence":99.0}},
         {"Type":{"Text":"AMOUNT_PAID","Confidence":61.5},"ValueDetection":{"Text":"$ 1,204.90","Confidence":88.0}}]}]}
      """;

  private static final String NOTHING =
      """
      {"ExpenseDocuments":[{"SummaryFields":[
         {"Type":{"Text":"VENDOR_NAME","Confidence":99.0},"ValueDetection":{"Text":"SHOP","Confidence":99.0}}]}]}
      """;

  /** The SDK's HTTP layer answering every call with one JSON body, and remembering the request. */
  private static final class CannedHttpClient implements SdkHttpClient {
    private final String body;
    private final int status;
    final AtomicReference<String> target = new AtomicReference<>();

    CannedHttpClient(String body) {
      this(body, 200);
    }

    CannedHttpClient(String body, int status) {
      this.body = body;
      this.status = status;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      target.set(request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse(""));
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() {
          return HttpExecuteResponse.builder()
              .response(
                  SdkHttpResponse.builder()
                      .statusCode(status)
                      .putHeader("Content-Type", "application/x-amz-json-1.1")
                      .build())
              .responseBody(
                  AbortableInputStream.create(
                      new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
              .build();
        }

        @Override
        public void abort() {}
      };
    }

    @Override
    public void close() {}
  }

  private static ReceiptReading read(String json, CannedHttpClient[] used) {
    return read(new CannedHttpClient(json), used);
  }

  private static ReceiptReading read(CannedHttpClient http, CannedHttpClient[] used) {
    if (used != null) {
      used[0] = http;
    }
    TextractClient client =
        TextractClient.builder()
            .httpClient(http)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build();
    ReceiptReader reader = new ReceiptReader(new TextractExpenseOcr(client));
    return reader.read(TestImages.png(TestImages.receipt(List.of("ANY", "RECEIPT"))));
  }

  @Test
  void mostConfidentTotalWithVendorDateAndCurrency() {
    CannedHttpClient[] used = new CannedHttpClient[1];
    ReceiptReading r = read(RESPONSE, used);
    assertEquals("Textract.AnalyzeExpense", used[0].target.get());
    assertEquals(ReceiptReading.Status.EXTRACTED, r.status(), r.toString());
    assertEquals(new BigDecimal("13.50"), r.amount());
    assertEquals("SGD", r.currency());
    assertEquals("CORNER COFFEE PTE LTD", r.merchant());
    assertEquals(LocalDate.of(2018, 3, 14), r.date());
    assertEquals("textract", r.provider());
    assertTrue(r.rawText().contains("TOTAL S$13.50"));
    assertEquals(0.98, r.confidence(), 0.02);
  }

  @Test
  void zeroAmountDueIsSkippedAndALowConfidenceTotalIsReviewed() {
    ReceiptReading r = read(DOUBTFUL, null);
    assertEquals(new BigDecimal("1204.90"), r.amount());
    assertEquals(ReceiptReading.Status.NEEDS_REVIEW, r.status());
    assertTrue(r.reviewReasons().get(0).contains("AMOUNT_PAID"), r.reviewReasons().toString());
  }

  @Test
  void noTotalAtAll() {
    ReceiptReading r = read(NOTHING, null);
    assertEquals(ReceiptReading.Status.NEEDS_REVIEW, r.status());
    assertEquals("SHOP", r.merchant());
    assertTrue(r.reviewReasons().get(0).contains("no TOTAL"), r.reviewReasons().toString());
  }

  @Test
  void serviceErrorFailsTheReadingWithItsMessage() {
    ReceiptReading r =
        read(
            new CannedHttpClient(
                "{\"__type\":\"UnsupportedDocumentException\",\"message\":\"Request has unsupported document format\"}",
                400),
            null);
    assertEquals(ReceiptReading.Status.FAILED, r.status());
    assertTrue(
        r.failureReason().startsWith("OCR failed: Textract AnalyzeExpense failed"),
        r.failureReason());
    assertTrue(r.failureReason().contains("unsupported document format"), r.failureReason());
    assertNull(r.amount());
  }

  @Test
  void chinaRegionsRefuseTextract() {
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                ReceiptReader.fromEnvironment(
                    java.util.Map.of(
                        "TRACKLANE_OCR_PROVIDER", "textract", "AWS_REGION", "cn-north-1")));
    assertTrue(e.getMessage().contains("tesseract"));
  }
}
