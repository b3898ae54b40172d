package io.tracklane.backoffice.receipts.ocr.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChineseCapitalAmountTest {

  @ParameterizedTest
  @CsvSource({
    "捌佰玖拾捌圆整, 898.00",
    "柒仟零壹拾捌元捌角叁分, 7018.83",
    "伍拾贰元柒角, 52.70",
    "壹佰壹拾贰元贰角, 112.20",
    "壹拾元整, 10.00",
    "拾元整, 10.00",
    "拾伍元, 15.00",
    "壹元, 1.00",
    "零元伍角, 0.50",
    "伍角, 0.50",
    "叁分, 0.03",
    "叁元零伍分, 3.05",
    "壹万零伍元整, 10005.00",
    "贰万叁仟肆佰伍拾陆元柒角捌分, 23456.78",
    "壹拾万元整, 100000.00",
    "壹佰零叁万零贰佰元正, 1030200.00",
    "壹亿元整, 100000000.00",
    "壹亿贰仟万元整, 120000000.00",
    "叁仟元整, 3000.00",
    "玖仟玖佰玖拾玖元玖角玖分, 9999.99",
    "'壹 佰 元 整', 100.00",
    "陆拾圆零捌分, 60.08",
    "一百二十三元四角, 123.40",
    "貳佰參拾元, 230.00",
    "伍佰参拾元整, 530.00",
    "伍拾式园柒角, 52.70",
  })
  void parsesCapitalNumerals(String text, String expected) {
    assertEquals(Optional.of(new BigDecimal(expected)), ChineseCapitalAmount.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "元整", "壹贰元", "佰元", "壹拾佰元", "伍角伍角", "壹元整伍角", "壹元伍", "abc", "壹元X", "零拾元", "壹佰伍拾", "整"
      })
  void rejectsMalformedAmounts(String text) {
    assertTrue(ChineseCapitalAmount.parse(text).isEmpty(), text);
  }

  @ParameterizedTest
  @CsvSource({
    "'价税合计 (大写) ⊗捌佰玖拾捌圆整 (小写) ¥898.00', 898.00",
    "'价税合计（大写）  柒仟零壹拾捌元捌角叁分     （小写）￥7018.83', 7018.83",
    "'合计 人民币 伍拾贰元柒角', 52.70",
  })
  void findsTheAmountInsideAnOcrLine(String line, String expected) {
    assertEquals(Optional.of(new BigDecimal(expected)), ChineseCapitalAmount.find(line));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "价税合计 (大写) © bes ses a (小写) ¥898.00",
        "价税合计(大写) 拾元整 (小写) ¥530.00",
        "价税合计(大写) 佢佰叁拾元整 (小写) ¥530.00"
      })
  void ignoresMissingOrPartlyMisreadCapitalAmounts(String line) {
    assertTrue(ChineseCapitalAmount.find(line).isEmpty(), line);
  }
}
