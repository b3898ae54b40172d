package io.tracklane.backoffice.receipts.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tracklane.backoffice.receipts.ocr.image.GrayImages;
import io.tracklane.backoffice.receipts.ocr.image.ImageIntake;
import io.tracklane.backoffice.receipts.ocr.image.PhotoPreparation;
import io.tracklane.backoffice.receipts.ocr.image.ReceiptImage;
import io.tracklane.backoffice.receipts.ocr.testing.TestImages;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The retries of a till receipt that reads as nothing (upside down, faint print darkened), with a
 * scripted OCR engine that reads a heavy first line at the top as the page the right way up: a
 * retry whose Latin pass reads no better than before ends there, without a Chinese pass.
 */
class ReceiptRetriesTest {
  /** Which language sets were read, and whether the page was upside down each time. */
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

  private OcrProvider engine(String upsideDownReads) {
    return new OcrProvider() {
      @Override
      public String name() {
        return "scripted";
      }

      @Override
      public boolean supports(OcrLanguages languages) {
        return true;
      }

      @Override
      public OcrResult recognise(ReceiptImage image, OcrLanguages languages) {
        boolean upsideDown = inkLowerDown(GrayImages.gray(image.image()));
        calls.add(languages + (upsideDown ? " upside down" : " upright"));
        String text =
            languages == OcrLanguages.LATIN && upsideDown ? upsideDownReads : "~~ ;: ~~ ::";
        return new OcrResult(List.of(OcrLine.of(text, 0.3)), 0.3, null, languages);
      }
    };
  }

  private ReceiptReading read(OcrProvider engine) {
    List<String> lines = new ArrayList<>(List.of("####################", "####################"));
    for (int i = 10; i < 70; i++) {
      // a strip over three times taller than wide: a till receipt, upright or upside down
      lines.add("LINE " + i + " ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    }
    BufferedImage page = TestImages.receipt(lines);
    PhotoPreparation clear = new PhotoPreparation(strip -> 0.9, strip -> 0.9);
    return new ReceiptReader(engine, new ImageIntake(), clear).read(TestImages.png(page));
  }

  @Test
  void aRetryThatReadsNoBetterInLatinSkipsItsChinesePass() {
    ReceiptReading r = read(engine("~~ ;: ~~ ::"));
    assertNull(r.amount(), r.toString());
    // the page as it came in Latin, then Chinese; upside down and darkened in Latin only
    assertEquals(
        List.of("LATIN upright", "LATIN_AND_CHINESE upright", "LATIN upside down", "LATIN upright"),
        calls);
  }

  @Test
  void aRetryThatReadsBetterInLatinIsReadInChineseToo() {
    ReceiptReading r = read(engine("ITEM 12.30"));
    assertEquals(new BigDecimal("12.30"), r.amount(), r.toString());
    assertEquals(
        List.of("LATIN_AND_CHINESE upright", "LATIN_AND_CHINESE upside down"),
        calls.stream().filter(c -> c.startsWith("LATIN_AND_CHINESE")).toList(),
        calls.toString());
  }

  /** More ink in the page's lower half than in its upper: the heavy first line is at the bottom. */
  private static boolean inkLowerDown(BufferedImage gray) {
    byte[] px = GrayImages.pixels(gray);
    int w = gray.getWidth();
    int half = gray.getHeight() / 2;
    long top = 0;
    long bottom = 0;
    for (int i = 0; i < px.length; i++) {
      if ((px[i] & 0xFF) < 128) {
        if (i / w < half) {
          top++;
        } else {
          bottom++;
        }
      }
    }
    return bottom > top;
  }
}
