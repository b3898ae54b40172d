package io.tracklane.backoffice.receipts.ocr.provider;

import io.tracklane.backoffice.receipts.ocr.OcrException;
import io.tracklane.backoffice.receipts.ocr.OcrLanguages;
import io.tracklane.backoffice.receipts.ocr.OcrProvider;
import io.tracklane.backoffice.receipts.ocr.OcrResult;
import io.tracklane.backoffice.receipts.ocr.image.ContentSniffer;
import io.tracklane.backoffice.receipts.ocr.image.ReceiptImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.textract.TextractClient;
import software.amazon.awssdk.services.textract.model.AnalyzeExpenseRequest;
import software.amazon.awssdk.services.textract.model.Document;

/**
 * Amazon Textract AnalyzeExpense (global regions only: Textract does not exist in the China
 * regions). Sends the original JPEG/PNG bytes when the pixels are unchanged, otherwise the upright
 * (or rendered PDF) page as PNG. The client is built once and is thread-safe.
 */
public final class TextractExpenseOcr implements OcrProvider {
  public static final String NAME = "textract";

  /** AnalyzeExpense's synchronous limit on document bytes. */
  private static final int MAX_BYTES = 10 << 20;

  private final TextractClient client;

  public TextractExpenseOcr(TextractClient client) {
    this.client = client;
  }

  /** Region from AWS_REGION; credentials from the default chain (the Lambda role). */
  /** A client for {@code region} (blank: the SDK's default chain); refused in the China regions. */
  public static TextractExpenseOcr forRegion(String region) {
    var builder = TextractClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
    if (region != null && !region.isBlank()) {
      if (region.startsWith("cn-")) {
        throw new IllegalArgumentException(
            "Textract is not available in " + region + "; use tesseract");
      }
      builder.region(Region.of(region));
    }
    return new TextractExpenseOcr(builder.build());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public OcrResult recognise(ReceiptImage image, OcrLanguages languages) throws OcrException {
    try {
      byte[] bytes = documentBytes(image);
      var request =
          AnalyzeExpenseRequest.builder()
              .document(Document.builder().bytes(SdkBytes.fromByteArray(bytes)).build())
              .build();
      return TextractExpenseMapper.map(client.analyzeExpense(request));
    } catch (SdkException e) {
      throw new OcrException("Textract AnalyzeExpense failed: " + e.getMessage(), e);
    }
  }

  private static byte[] documentBytes(ReceiptImage image) throws OcrException {
    boolean asIs =
        !image.reencoded()
            && !image.contentType().equals(ContentSniffer.PDF)
            && image.original().length <= MAX_BYTES;
    if (asIs) {
      return image.original();
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image.image(), image.original().length > MAX_BYTES ? "jpg" : "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new OcrException("could not encode the image for Textract", e);
    }
  }
}
