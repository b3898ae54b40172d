package io.tracklane.backoffice.receipts.ocr.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyParserTest {

  private static String last(String line) {
    List<MoneyToken> tokens = MoneyParser.find(line);
    return tokens.isEmpty() ? "none" : tokens.get(tokens.size() - 1).value().toPlainString();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Total : 9.00 | 9.00",
        "TOTAL RM 1,234.50 | 1234.50",
        "Total 1.234,50 | 1234.50",
        "TOTAL: RM9.OO | 9.00",
        "TOTAL 12.5O | 12.50",
        "GRAND TOTAL  l2.50 | 12.50",
        "TOTAL S.00 | 5.00",
        "NETT TOTAL 1B.80 | 18.80",
        "Total 12 .50 | 12.50",
        "Total 12. 50 | 12.50",
        "TOTAL 9,00 | 9.00",
        "Total Sales (Inclusive of GST) 64.50\" | 64.50",
        "TOTAL $12.50 | 12.50",
        "TOTAL S12.50 | 12.50",
        "1 PC * 9.00) 0,00 9.00 | 9.00",
        "价税合计 (小写) ¥898.00 | 898.00",
        "TOTAL 1'234.00 | 1234.00",
      })
  void readsAndRepairsAmounts(String line, String expected) {
    assertEquals(expected, last(line.strip()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Date 25.12.2018",
        "GST 6.00%",
        "GST @ 6.00 %",
        "Tel 03-7731 8169",
        "Time 12:06:00",
        "BOOKS AND SOLO",
        "Doc No 1234",
        "Invoice TD01167104"
      })
  void ignoresWhatIsNotAnAmount(String line) {
    assertEquals("none", last(line));
  }

  @Test
  void neverGluesAQuantityToAPrice() {
    List<MoneyToken> tokens = MoneyParser.find("2 9.00");
    assertEquals(1, tokens.size());
    assertEquals(new BigDecimal("9.00"), tokens.get(0).value());
  }

  @Test
  void marksRepairedAmounts() {
    assertTrue(MoneyParser.find("TOTAL 9.OO").get(0).repaired());
    assertFalse(MoneyParser.find("TOTAL 9.00").get(0).repaired());
  }

  @Test
  void wholeNumbersOnlyWhenAsked() {
    assertTrue(MoneyParser.find("TOTAL 110").isEmpty());
    MoneyToken whole = MoneyParser.find("TOTAL 110", true).get(0);
    assertEquals(new BigDecimal("110.00"), whole.value());
    assertFalse(whole.hasCents());
  }
}
