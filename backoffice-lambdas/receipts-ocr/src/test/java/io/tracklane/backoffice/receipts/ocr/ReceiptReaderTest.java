package io.tracklane.backoffice.receipts.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.receipts.ocr.ReceiptReading.Status;
import io.tracklane.backoffice.receipts.ocr.bench.PhotoVariantGenerator;
import io.tracklane.backoffice.receipts.ocr.image.GrayImages;
import io.tracklane.backoffice.receipts.ocr.image.ImageIntake;
import io.tracklane.backoffice.receipts.ocr.image.ReceiptImage;
import io.tracklane.backoffice.receipts.ocr.testing.RequiresTesseract;
import io.tracklane.backoffice.receipts.ocr.testing.TestImages;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end with real Tesseract on receipts rendered here (English and Chinese), and hostile
 * files.
 */
class ReceiptReaderTest {
  private static ReceiptReader reader;

  private static final List<String> ENGLISH =
      List.of(
          "KEDAI RUNCIT MAJU SDN BHD",
          "NO 12 JALAN BESAR, 43000 KAJANG",
          "TAX INVOICE",
          "Date: 14/03/2018  10:22",
          "MILO 1KG           2 x 17.90  35.80",
          "GARDENIA BREAD     1 x  3.70   3.70",
          "EGGS GRADE A       1 x 12.50  12.50",
          "Total Qty: 4",
          "Sub Total                     52.00",
          "GST 6%                         3.12",
          "Rounding                      -0.02",
          "Grand Total (RM)              55.10",
          "Cash                         100.00",
          "Change                        44.90",
          "THANK YOU, PLEASE COME AGAIN");

  private static final List<String> CHINESE =
      List.of(
          "            广东增值税普通发票",
          "发票代码: 044001900111        开票日期: 2019年05月20日",
          "购买方  名    称: 深圳市华云科技有限公司",
          "货物或应税劳务名称    数量    单价      金额      税率    税额",
          "*餐饮服务*餐费          1    500.00    500.00    6%     30.00",
          "合    计                               ¥500.00          ¥30.00",
          "价税合计(大写)  伍佰叁拾元整                  (小写) ¥530.00",
          "销售方  名    称: 广州市天河区好味餐厅有限公司");

  @BeforeAll
  static void reader() {
    RequiresTesseract.check();
    reader = ReceiptReader.fromEnvironment(Map.of());
  }

  @Test
  void englishReceiptAsPng() {
    ReceiptReading r = reader.read(TestImages.png(TestImages.receipt(ENGLISH)));
    assertEquals(Status.EXTRACTED, r.status(), r.toString());
    assertEquals(new BigDecimal("55.10"), r.amount());
    assertEquals("MYR", r.currency());
    assertEquals(LocalDate.of(2018, 3, 14), r.date());
    assertEquals("KEDAI RUNCIT MAJU SDN BHD", r.merchant());
    assertEquals("image/png", r.contentType());
    assertEquals("tesseract", r.provider());
    assertTrue(r.confidence() >= 0.7 && r.confidence() <= 1);
  }

  /**
   * A phone photo of the receipt (on a counter, turned a quarter and a few degrees, slanted,
   * shadowed, blurred, JPEG): prepared, its text reads upright (merchant, date); its total is right
   * or sent to review, never wrong and trusted. Unprepared, the text is not read at all.
   */
  @Test
  void englishReceiptPhotographedSidewaysOnACounter() {
    BufferedImage scan = TestImages.receipt(ENGLISH);
    BufferedImage photo =
        PhotoVariantGenerator.quarterTurns(
            PhotoVariantGenerator.photograph(scan, new Random(5)), 1);
    byte[] jpeg = TestImages.jpeg(photo);
    ReceiptReading r = reader.read(jpeg);
    assertEquals("KEDAI RUNCIT MAJU SDN BHD", r.merchant(), r.toString());
    assertEquals(LocalDate.of(2018, 3, 14), r.date(), r.toString());
    assertTrue(
        r.status() == Status.NEEDS_REVIEW || new BigDecimal("55.10").equals(r.amount()),
        r.toString());
    ReceiptReading unprepared =
        new ReceiptReader(reader.provider(), new ImageIntake(), null).read(jpeg);
    assertNotEquals("KEDAI RUNCIT MAJU SDN BHD", unprepared.merchant(), unprepared.toString());
    assertNotEquals(LocalDate.of(2018, 3, 14), unprepared.date(), unprepared.toString());
  }

  /**
   * The TOTAL line and the cash paid minus change disagree: the receipt goes to review with both
   * figures kept, the proposed one first, for a reviewer to pick.
   */
  @Test
  void disagreeingReadingsAreKeptForTheReviewer() {
    ReceiptReading r =
        reader.read(
            TestImages.png(
                TestImages.receipt(
                    List.of(
                        "CORNER SHOP",
                        "COFFEE          4.50",
                        "BAGEL           7.84",
                        "TOTAL          12.34",
                        "CASH           20.00",
                        "CHANGE          7.60"))));
    assertEquals(Status.NEEDS_REVIEW, r.status(), r.toString());
    List<BigDecimal> figures = r.competingTotals().stream().map(TotalReading::amount).toList();
    assertTrue(
        figures.contains(new BigDecimal("12.34")) && figures.contains(new BigDecimal("12.40")),
        r.toString());
    assertEquals(r.amount(), figures.get(0));
  }

  /**
   * A till receipt whose Latin reading settles nothing is read with Chinese too; meanwhile its
   * other readings are already under way (they started before the Chinese pass finished), they are
   * made once, and none is still running when the reading returns. The Chinese pass, beaten by the
   * Latin one, still counts as one more reading of the figure it shares with it.
   */
  @Test
  void otherReadingsRunBesideTheChinesePassAndEndWithTheReading() {
    var provider = reader.provider();
    AtomicLong chineseDone = new AtomicLong();
    AtomicLong alternativesStarted = new AtomicLong();
    AtomicInteger alternativesMade = new AtomicInteger();
    AtomicInteger running = new AtomicInteger();
    OcrProvider watched =
        new OcrProvider() {
          @Override
          public String name() {
            return provider.name();
          }

          @Override
          public boolean supports(OcrLanguages languages) {
            return provider.supports(languages);
          }

          @Override
          public OcrResult recognise(ReceiptImage image, OcrLanguages languages)
              throws OcrException {
            OcrResult r = provider.recognise(image, languages);
            if (languages == OcrLanguages.LATIN_AND_CHINESE) {
              chineseDone.set(System.nanoTime());
            }
            return r;
          }

          @Override
          public List<NamedReading> alternativeReadings(ReceiptImage image, OcrLanguages languages)
              throws OcrException {
            alternativesStarted.compareAndSet(0, System.nanoTime());
            running.incrementAndGet();
            try {
              alternativesMade.incrementAndGet();
              return provider.alternativeReadings(image, languages);
            } finally {
              running.decrementAndGet();
            }
          }
        };
    ReceiptReading r =
        new ReceiptReader(watched)
            .read(
                TestImages.png(
                    TestImages.receipt(
                        List.of(
                            "CORNER SHOP",
                            "12 HIGH STREET",
                            "LONDON",
                            "",
                            "TABLE 4",
                            "",
                            "COFFEE          4.50",
                            "",
                            "BAGEL           7.84",
                            "",
                            "TOTAL          12.34",
                            "",
                            "CASH           20.00",
                            "CHANGE          7.60",
                            "",
                            "THANK YOU",
                            "",
                            "SEE YOU SOON",
                            ""))));
    assertEquals(Status.NEEDS_REVIEW, r.status(), r.toString());
    assertTrue(chineseDone.get() > 0, "the Chinese pass ran");
    assertEquals(1, alternativesMade.get());
    assertTrue(alternativesStarted.get() < chineseDone.get(), "started before it finished");
    assertEquals(0, running.get(), "no reading outlives the receipt's");
    List<BigDecimal> figures = r.competingTotals().stream().map(TotalReading::amount).toList();
    assertTrue(figures.contains(new BigDecimal("12.40")), r.toString());
    TotalReading proposed = r.competingTotals().get(0);
    assertEquals(new BigDecimal("12.34"), proposed.amount(), r.toString());
    assertTrue(proposed.readBy().contains(ReceiptReader.CHINESE_PASS), r.toString());
  }

  @Test
  void englishReceiptAsJpegAndPdf() {
    BufferedImage image = TestImages.receipt(ENGLISH);
    ReceiptReading jpeg = reader.read(TestImages.jpeg(image));
    assertEquals(new BigDecimal("55.10"), jpeg.amount(), jpeg.toString());
    assertEquals("image/jpeg", jpeg.contentType());
    ReceiptReading pdf = reader.read(TestImages.pdf(image));
    assertEquals(new BigDecimal("55.10"), pdf.amount(), pdf.toString());
    assertEquals("application/pdf", pdf.contentType());
  }

  @Test
  void receiptWithoutGrandTotalTakesTotalNotSubtotalCashOrChange() {
    ReceiptReading r =
        reader.read(
            TestImages.png(
                TestImages.receipt(
                    List.of(
                        "CORNER COFFEE PTE LTD",
                        "LATTE              2   9.00",
                        "CROISSANT          1   4.50",
                        "SUBTOTAL              13.50",
                        "TOTAL                 13.50",
                        "CASH TENDERED         20.00",
                        "CHANGE                 6.50"))));
    assertEquals(new BigDecimal("13.50"), r.amount(), r.toString());
    assertEquals(Status.EXTRACTED, r.status(), r.toString());
  }

  @Test
  void receiptWhoseTotalsDisagreeGoesToReview() {
    ReceiptReading r =
        reader.read(
            TestImages.png(
                TestImages.receipt(
                    List.of(
                        "CORNER COFFEE PTE LTD",
                        "SUBTOTAL              13.50",
                        "TOTAL                 18.50",
                        "CASH                  20.00",
                        "CHANGE                 6.50"))));
    assertEquals(Status.NEEDS_REVIEW, r.status(), r.toString());
    assertTrue(!r.reviewReasons().isEmpty());
  }

  @Test
  void exifRotatedPhotoReadsUpright() {
    ReceiptReading r = reader.read(TestImages.sidewaysJpegWithExif(TestImages.receipt(ENGLISH)));
    assertEquals(new BigDecimal("55.10"), r.amount(), r.toString());
  }

  @Test
  void chineseVatInvoice() {
    ReceiptReading r = reader.read(TestImages.png(TestImages.invoice(CHINESE)));
    assertEquals(new BigDecimal("530.00"), r.amount(), r.toString());
    assertEquals("CNY", r.currency());
    assertEquals(Status.EXTRACTED, r.status(), r.toString());
    assertEquals(LocalDate.of(2019, 5, 20), r.date());
  }

  @Test
  void upsideDownChineseInvoiceReadsUpright() {
    BufferedImage upsideDown =
        GrayImages.quarterTurns(GrayImages.gray(TestImages.invoice(CHINESE)), 2);
    ReceiptReading r = reader.read(TestImages.png(upsideDown));
    assertEquals(new BigDecimal("530.00"), r.amount(), r.toString());
    assertEquals("CNY", r.currency(), r.toString());
  }

  @Test
  void chineseInvoiceWhoseTotalsDisagreeGoesToReview() {
    List<String> lines = CHINESE.stream().map(l -> l.replace("¥530.00", "¥580.00")).toList();
    ReceiptReading r = reader.read(TestImages.png(TestImages.invoice(lines)));
    assertEquals(Status.NEEDS_REVIEW, r.status(), r.toString());
    assertTrue(
        r.reviewReasons().stream().anyMatch(s -> s.contains("小写")), r.reviewReasons().toString());
  }

  @Test
  void badInputsFailWithAReason() {
    byte[] jpeg = TestImages.jpeg(TestImages.receipt(ENGLISH));
    Map<String, byte[]> inputs =
        Map.of(
            "text file named receipt.jpg",
                "just some text, not a photo".getBytes(StandardCharsets.UTF_8),
            "zero bytes", new byte[0],
            "truncated JPEG", Arrays.copyOf(jpeg, jpeg.length / 3),
            "20000x20000 PNG", TestImages.hugePngHeader(20_000, 20_000),
            "PDF without pages", TestImages.pdfWithoutPages());
    for (Map.Entry<String, byte[]> input : inputs.entrySet()) {
      ReceiptReading r = reader.read(input.getValue());
      assertEquals(Status.FAILED, r.status(), input.getKey());
      assertNotNull(r.failureReason(), input.getKey());
      assertTrue(r.amount() == null, input.getKey());
    }
    assertEquals("empty file", reader.read(new byte[0]).failureReason());
    assertEquals("PDF has no pages", reader.read(TestImages.pdfWithoutPages()).failureReason());
    assertEquals("application/pdf", reader.read(TestImages.pdfWithoutPages()).contentType());
    assertTrue(reader.read(null).failureReason().equals("empty file"));
  }

  @Test
  void readsConcurrently() throws Exception {
    byte[] png = TestImages.png(TestImages.receipt(ENGLISH));
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var a = pool.submit(() -> reader.read(png));
      var b = pool.submit(() -> reader.read(png));
      assertEquals(new BigDecimal("55.10"), a.get().amount());
      assertEquals(new BigDecimal("55.10"), b.get().amount());
    } finally {
      pool.shutdown();
    }
  }
}
