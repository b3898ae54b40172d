package io.tracklane.backoffice.receipts.ocr.image;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Detects the content type from the first bytes (magic numbers); the file name is never trusted.
 */
public final class ContentSniffer {
  public static final String JPEG = "image/jpeg";
  public static final String PNG = "image/png";
  public static final String PDF = "application/pdf";

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final byte[] PDF_SIGNATURE = "%PDF-".getBytes(StandardCharsets.US_ASCII);

  /** PDF readers accept the header anywhere in the first 1024 bytes; so do we. */
  private static final int PDF_HEADER_WINDOW = 1024;

  private ContentSniffer() {}

  /** image/jpeg, image/png, application/pdf, or empty for anything else. */
  public static Optional<String> detect(byte[] content) {
    if (content == null || content.length < 4) {
      return Optional.empty();
    }
    if ((content[0] & 0xFF) == 0xFF && (content[1] & 0xFF) == 0xD8 && (content[2] & 0xFF) == 0xFF) {
      return Optional.of(JPEG);
    }
    if (startsWith(content, 0, PNG_SIGNATURE)) {
      return Optional.of(PNG);
    }
    int window = Math.min(content.length - PDF_SIGNATURE.length, PDF_HEADER_WINDOW);
    for (int i = 0; i <= window; i++) {
      if (startsWith(content, i, PDF_SIGNATURE)) {
        return Optional.of(PDF);
      }
    }
    return Optional.empty();
  }

  /** The first bytes for a refusal message: as text when printable, else as hex. */
  public static String describeStart(byte[] content) {
    int n = Math.min(content.length, 16);
    boolean printable = true;
    for (int i = 0; i < n; i++) {
      int b = content[i] & 0xFF;
      if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' || b >= 0x7F) {
        printable = false;
        break;
      }
    }
    if (printable) {
      String text =
          new String(content, 0, n, StandardCharsets.US_ASCII)
              .replace("\n", "\\n")
              .replace("\r", "\\r")
              .replace("\t", "\\t");
      return "\"" + text + "\"";
    }
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < n; i++) {
      hex.append(i == 0 ? "" : " ").append(String.format("%02X", content[i] & 0xFF));
    }
    return "bytes " + hex;
  }

  private static boolean startsWith(byte[] content, int offset, byte[] prefix) {
    if (content.length - offset < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (content[offset + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
