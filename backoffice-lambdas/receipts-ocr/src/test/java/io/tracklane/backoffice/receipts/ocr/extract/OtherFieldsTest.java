package io.tracklane.backoffice.receipts.ocr.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtherFieldsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "TOTAL RM 9.00 | MYR",
        "Total (RM): 9.00 | MYR",
        "TOTAL MYR 9.00 | MYR",
        "TOTAL S$ 9.00 | SGD",
        "TOTAL US$ 9.00 | USD",
        "TOTAL USD 9.00 | USD",
        "TOTAL $9.00 | USD",
        "合计 ¥ 9.00 | CNY",
        "金额 9.00 元 | CNY",
        "TOTAL RMB 9.00 | CNY",
        "TOTAL 9.00 € | EUR",
        "TOTAL £9.00 | GBP",
      })
  void detectsCurrency(String text, String currency) {
    assertEquals(currency, CurrencyDetector.detect(text));
  }

  @Test
  void noCurrencyMarkers() {
    assertNull(CurrencyDetector.detect("TOTAL 9.00\nFIRM ARMS"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Date 25/12/2018 8:13:39 PM | 2018-12-25",
        "Date: 06/03/2018 | 2018-03-06",
        "12/25/2018 | 2018-12-25",
        "2018-03-06 12:00 | 2018-03-06",
        "25-12-18 | 2018-12-25",
        "25 Dec 2018 | 2018-12-25",
        "Dec 25, 2018 | 2018-12-25",
        "开票日期: 2023年03月17日 | 2023-03-17",
        "25.12.2018 | 2018-12-25",
      })
  void readsDates(String text, String date) {
    assertEquals(Optional.of(LocalDate.parse(date)), DateExtractor.parse(text));
  }

  @Test
  void labelledDateWins() {
    assertEquals(
        LocalDate.of(2018, 3, 6),
        DateExtractor.extract(Lines.of("Valid until 01/01/2030", "Date: 06/03/2018")));
  }

  @Test
  void merchantIsTheCompanyNearTheTop() {
    assertEquals(
        "BOOK TA .K (TAMAN DAYA) SDN BHD",
        MerchantExtractor.extract(
            Lines.of(
                "tan woon yann",
                "BOOK TA .K (TAMAN DAYA) SDN BHD",
                "NO.53 55,57 & 59, JALAN SAGU 18",
                "Total 9.00"),
            false));
  }

  @Test
  void merchantSkipsHeadings() {
    assertEquals(
        "Corner Coffee",
        MerchantExtractor.extract(
            Lines.of("TAX INVOICE", "Corner Coffee", "Tel 0123 4567"), false));
  }
}
