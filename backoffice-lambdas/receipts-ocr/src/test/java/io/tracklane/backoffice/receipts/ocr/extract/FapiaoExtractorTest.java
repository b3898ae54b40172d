package io.tracklane.backoffice.receipts.ocr.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class FapiaoExtractorTest {
  private static final String INVOICE =
      """
      广东增值税专用发票
      发票代码: 4400000000   开票日期: 2023年03月17日
      购 名    称: 厦门起飞科技有限公司
      货物或应税劳务、服务名称   规格型号   单位   数量   单价   金额   税率   税额
      酒*53%vol珍酒.珍藏1995   500ml*6   支   2   397.345132   794.69   13%   103.31
      合      计                                   ¥794.69        ¥103.31
      价税合计 (大写)   ⊗捌佰玖拾捌圆整                 (小写) ¥898.00
      销 名    称: 广州珍酒生产有限公司
      """;

  @Test
  void allThreeReadingsAgree() {
    var lines = Lines.text(INVOICE);
    assertTrue(FapiaoExtractor.looksLikeFapiao(lines));
    AmountFinding f = FapiaoExtractor.extract(lines);
    assertEquals(new BigDecimal("898.00"), f.amount());
    assertTrue(f.doubts().isEmpty(), f.doubts().toString());
    assertTrue(f.confidence() >= 0.9);
  }

  @Test
  void yuanSignReadAsY() {
    AmountFinding f = FapiaoExtractor.extract(Lines.text(INVOICE.replace("¥", "Y")));
    assertEquals(new BigDecimal("898.00"), f.amount());
    assertTrue(f.doubts().isEmpty(), f.doubts().toString());
  }

  @Test
  void capitalNumeralsThatDisagreeSendToReview() {
    AmountFinding f = FapiaoExtractor.extract(Lines.text(INVOICE.replace("捌佰玖拾捌圆整", "捌佰玖拾玖圆整")));
    assertEquals(new BigDecimal("898.00"), f.amount());
    assertFalse(f.doubts().isEmpty());
    assertTrue(f.doubts().get(0).contains("大写"), f.doubts().toString());
  }

  @Test
  void sumThatDisagreesSendsToReview() {
    AmountFinding f = FapiaoExtractor.extract(Lines.text(INVOICE.replace("¥103.31", "¥105.31")));
    assertFalse(f.doubts().isEmpty());
  }

  @Test
  void twoAgreeingReadingsOutvoteAMisreadLowerCaseFigure() {
    AmountFinding f = FapiaoExtractor.extract(Lines.text(INVOICE.replace("¥898.00", "¥898.60")));
    assertEquals(new BigDecimal("898.00"), f.amount());
    assertFalse(f.doubts().isEmpty(), "still reviewed: the 小写 figure disagrees");
  }

  @Test
  void garbledCapitalLineStillReadsFromLowerCaseAndSum() {
    AmountFinding f =
        FapiaoExtractor.extract(Lines.text(INVOICE.replace("⊗捌佰玖拾捌圆整", "© bes ses a")));
    assertEquals(new BigDecimal("898.00"), f.amount());
    assertTrue(f.doubts().isEmpty(), f.doubts().toString());
  }

  @Test
  void fieldsOfAnInvoice() {
    ReceiptFields fields = ReceiptFieldExtractor.extract(Lines.text(INVOICE));
    assertEquals("CNY", fields.currency());
    assertEquals(java.time.LocalDate.of(2023, 3, 17), fields.date());
    assertEquals("广州珍酒生产有限公司", fields.merchant());
    assertTrue(fields.trusted());
  }
}
