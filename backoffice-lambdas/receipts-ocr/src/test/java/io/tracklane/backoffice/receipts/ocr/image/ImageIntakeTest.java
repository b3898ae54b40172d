package io.tracklane.backoffice.receipts.ocr.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.receipts.ocr.testing.HostilePdfs;
import io.tracklane.backoffice.receipts.ocr.testing.TestImages;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageIntakeTest {
  private final ImageIntake intake = new ImageIntake();
  private static final BufferedImage RECEIPT = TestImages.receipt(List.of("SHOP", "TOTAL 12.50"));

  private String refusal(byte[] content) {
    return assertThrows(RejectedInputException.class, () -> intake.read(content)).getMessage();
  }

  @Test
  void detectsTypeByMagicBytes() throws Exception {
    assertEquals(ContentSniffer.JPEG, intake.read(TestImages.jpeg(RECEIPT)).contentType());
    assertEquals(ContentSniffer.PNG, intake.read(TestImages.png(RECEIPT)).contentType());
    ReceiptImage pdf = intake.read(TestImages.pdf(RECEIPT));
    assertEquals(ContentSniffer.PDF, pdf.contentType());
    assertTrue(pdf.image().getWidth() > 500, "rendered at ~200 dpi");
  }

  @Test
  void refusesText() {
    String reason = refusal("hello, this is not a receipt\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("not an image or PDF: content starts with \"hello, this is n\"", reason);
  }

  @Test
  void refusesOtherBinaryFormatsShowingTheirBytes() {
    byte[] gif = "GIF89a\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(
        "not an image or PDF: content starts with bytes 47 49 46 38 39 61 01 00", refusal(gif));
    byte[] zip = {0x50, 0x4B, 0x03, 0x04, (byte) 0xA0, 0};
    assertEquals("not an image or PDF: content starts with bytes 50 4B 03 04 A0 00", refusal(zip));
  }

  @Test
  void refusesEmptyFile() {
    assertEquals("empty file", refusal(new byte[0]));
  }

  @Test
  void refusesTruncatedJpeg() {
    byte[] jpeg = TestImages.jpeg(RECEIPT);
    String reason = refusal(Arrays.copyOf(jpeg, jpeg.length / 2));
    assertTrue(reason.startsWith("corrupted JPEG"), reason);
  }

  @Test
  void refusesJpegWithGarbledHeader() {
    byte[] jpeg = TestImages.jpeg(RECEIPT);
    for (int i = 4; i < 400 && i < jpeg.length; i++) {
      jpeg[i] = (byte) (i * 31);
    }
    String reason = refusal(jpeg);
    assertTrue(reason.startsWith("corrupted JPEG") || reason.startsWith("unreadable JPEG"), reason);
  }

  @Test
  void refusesHugePngFromItsHeaderWithoutDecoding() {
    byte[] bomb = TestImages.hugePngHeader(20_000, 20_000);
    assertTrue(bomb.length < 2_000, "a few hundred bytes: " + bomb.length);
    long before = System.nanoTime();
    String reason = refusal(bomb);
    assertTrue(reason.startsWith("PNG too large: 20000x20000 pixels"), reason);
    assertTrue(System.nanoTime() - before < 2_000_000_000L, "refused from the header, fast");
  }

  @Test
  void refusesPdfWithAHugeEmbeddedImageFromItsDeclaredSize() {
    // 60000 x 60000 1-bit pixels: 450 MB of Flate data once decoded, 3.6 gigapixels once drawn
    byte[] bomb = HostilePdfs.imageBomb(60_000, 60_000);
    assertTrue(bomb.length < 1_000_000, "the file is small: " + bomb.length + " bytes");
    String reason = refusal(bomb);
    assertTrue(
        reason.matches(
            "PDF object \\d+ 0 \\(an image\\) too large: 60000x60000 pixels, the limit is 50 "
                + "megapixels and 12000 px a side"),
        reason);
  }

  @Test
  void refusesPdfWithAHugeInlineImageBeforeDecodingIt() {
    String reason = refusal(HostilePdfs.inlineImageBomb(60_000, 60_000));
    assertEquals(
        "PDF image too large: 60000x60000 pixels, the limit is 50 megapixels and 12000 px a side",
        reason);
  }

  @Test
  void refusesPdfWhoseContentStreamExpandsPastTheCap() {
    ImageLimits small = new ImageLimits(25L << 20, 50_000_000L, 12_000, 2_000, 200, 8L << 20);
    byte[] bomb = HostilePdfs.contentBomb(100L << 20); // 100 MB of spaces, ~100 kB deflated
    assertTrue(bomb.length < 200_000, "the file is small: " + bomb.length + " bytes");
    String reason =
        assertThrows(RejectedInputException.class, () -> new ImageIntake(small).read(bomb))
            .getMessage();
    assertTrue(reason.matches("PDF object \\d+ 0 expands to more than 8 MB when decoded"), reason);
  }

  @Test
  void rendersALargePageWithinThePixelLimit() throws Exception {
    // a 200 x 200 inch poster at 200 dpi would be 1.6 gigapixels; the dpi is lowered to fit
    ImageLimits limits = ImageLimits.DEFAULT;
    PdfFirstPage pdf = new PdfFirstPage(limits);
    float dpi = pdf.dpi(new org.apache.pdfbox.pdmodel.common.PDRectangle(14_400, 14_400));
    double side = 14_400 / 72.0 * dpi;
    assertTrue(
        side * side <= limits.maxPixels() && side <= limits.maxSide(),
        "dpi " + dpi + " gives " + side + " px a side");
  }

  @Test
  void refusesPdfWithoutPages() {
    assertEquals("PDF has no pages", refusal(TestImages.pdfWithoutPages()));
  }

  @Test
  void refusesCorruptedPdf() {
    byte[] pdf = "%PDF-1.7\n garbage garbage".getBytes(StandardCharsets.US_ASCII);
    assertTrue(refusal(pdf).startsWith("corrupted PDF"), refusal(pdf));
  }

  @Test
  void appliesExifOrientation() throws Exception {
    byte[] sideways = TestImages.sidewaysJpegWithExif(RECEIPT);
    assertEquals(6, ExifOrientation.of(sideways));
    ReceiptImage image = intake.read(sideways);
    assertEquals(RECEIPT.getWidth(), image.image().getWidth());
    assertEquals(RECEIPT.getHeight(), image.image().getHeight());
    // The text line's dark pixels are back at the top left.
    assertTrue(darkPixels(image.image(), 0, 0, 200, 60) > 50);
    assertTrue(image.reencoded());
  }

  @Test
  void exifOrientationAbsentOrMalformedMeansUpright() {
    assertEquals(1, ExifOrientation.of(TestImages.jpeg(RECEIPT)));
    assertEquals(
        1,
        ExifOrientation.of(
            new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1, 0, 9, 'E'}));
  }

  @Test
  void everyOrientationComesOutUpright() {
    BufferedImage marker =
        new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB); // one white pixel top-left
    marker.setRGB(0, 0, 0xFFFFFF);
    // Where the marker lands in the stored image for each orientation, so that applying it restores
    // (0,0).
    int[][] stored = {{0, 0}, {3, 0}, {3, 1}, {0, 1}, {0, 0}, {0, 3}, {1, 3}, {1, 0}};
    for (int orientation = 1; orientation <= 8; orientation++) {
      boolean swap = orientation >= 5;
      BufferedImage image =
          new BufferedImage(swap ? 2 : 4, swap ? 4 : 2, BufferedImage.TYPE_INT_RGB);
      image.setRGB(stored[orientation - 1][0], stored[orientation - 1][1], 0xFFFFFF);
      BufferedImage upright = ExifOrientation.apply(image, orientation);
      assertEquals(4, upright.getWidth(), "orientation " + orientation);
      assertEquals(0xFFFFFF, upright.getRGB(0, 0) & 0xFFFFFF, "orientation " + orientation);
    }
  }

  private static int darkPixels(BufferedImage image, int x0, int y0, int w, int h) {
    int n = 0;
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        n += (image.getRGB(x, y) & 0xFF) < 100 ? 1 : 0;
      }
    }
    return n;
  }
}
