package io.tracklane.backoffice.tasks;

import io.tracklane.backoffice.common.Validator;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.Set;

/** The validated body of {@code POST /tasks}. Text is kept verbatim. */
public record NewTask(
    String routeId,
    String title,
    String description,
    BigDecimal bonusAmount,
    String bonusCurrency,
    Instant windowStart,
    Instant windowEnd) {

  public static final int MAX_TITLE = 200;
  public static final int MAX_DESCRIPTION = 2000;
  public static final BigDecimal MAX_BONUS = new BigDecimal("100000");
  public static final Duration MAX_WINDOW = Duration.ofDays(7);
  static final Set<String> FIELDS =
      Set.of(
          "routeId",
          "title",
          "description",
          "bonusAmount",
          "bonusCurrency",
          "windowStart",
          "windowEnd");

  /** Validates {@code body}; every problem is reported (400), each naming its field. */
  public static NewTask parse(JsonObject body, Instant now) {
    Validator v = new Validator(body);
    for (String name : body.fieldNames()) {
      if (!FIELDS.contains(name)) v.error(name, "is not a known field");
    }
    String routeId = v.string("routeId", true, 64);
    String title = v.string("title", true, MAX_TITLE);
    String description = v.string("description", false, MAX_DESCRIPTION);
    BigDecimal amount = v.money("bonusAmount", true, MAX_BONUS);
    String currency = v.currency("bonusCurrency", true);
    if (currency != null && !isIso4217(currency)) {
      v.error("bonusCurrency", "is not an ISO 4217 currency code");
      currency = null;
    }
    Instant start = v.instant("windowStart", true);
    Instant end = v.instant("windowEnd", true);
    if (start != null && end != null) {
      if (!end.isAfter(start)) {
        v.error("windowEnd", "must be after windowStart");
      } else if (Duration.between(start, end).compareTo(MAX_WINDOW) > 0) {
        v.error("windowEnd", "must be at most 7 days after windowStart");
      }
    }
    if (end != null && !end.isAfter(now)) v.error("windowEnd", "must be in the future");
    v.throwIfInvalid();
    return new NewTask(
        routeId,
        title,
        description,
        amount.setScale(2, RoundingMode.UNNECESSARY),
        currency,
        start,
        end);
  }

  private static boolean isIso4217(String code) {
    try {
      Currency.getInstance(code);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
