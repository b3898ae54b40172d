package io.tracklane.backoffice.receipts.ocr;

import java.math.BigDecimal;
import java.util.List;

/**
 * One figure an independent reading of the receipt gave for its total, and which readings gave it
 * (e.g. "page, block mode", "bottom block"): the choices a reviewer picks from.
 */
public record TotalReading(BigDecimal amount, List<String> readBy) {
  public TotalReading {
    readBy = List.copyOf(readBy);
  }
}
