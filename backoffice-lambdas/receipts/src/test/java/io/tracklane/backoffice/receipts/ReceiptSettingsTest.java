package io.tracklane.backoffice.receipts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.core.config.SettingsException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The receipts unit reads its typed settings at init and names every bad one at once. */
class ReceiptSettingsTest {
  private static final String PG = "postgresql://u@127.0.0.1:5432/db";

  @Test
  void defaultsAndValues() {
    ReceiptSettings d = ReceiptSettings.from(BackofficeConfig.of(Map.of("TRACKLANE_PG_URL", PG)));
    assertEquals(
        new ReceiptSettings(
            "tracklane-receipts", 10L << 20, Duration.ofSeconds(600), Duration.ofSeconds(300)),
        d);
    ReceiptSettings s =
        ReceiptSettings.from(
            BackofficeConfig.of(
                Map.of(
                    "TRACKLANE_PG_URL",
                    PG,
                    "TRACKLANE_RECEIPTS_BUCKET",
                    "b",
                    "TRACKLANE_RECEIPT_MAX_BYTES",
                    "2048",
                    "TRACKLANE_RECEIPT_UPLOAD_TTL_SECONDS",
                    "60",
                    "TRACKLANE_RECEIPT_IMAGE_URL_TTL_SECONDS",
                    "30")));
    assertEquals(new ReceiptSettings("b", 2048, Duration.ofSeconds(60), Duration.ofSeconds(30)), s);
  }

  @Test
  void everyBadSettingIsNamedAtOnce() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                ReceiptSettings.from(
                    BackofficeConfig.of(
                        Map.of(
                            "TRACKLANE_RECEIPT_MAX_BYTES",
                            "104857601",
                            "TRACKLANE_RECEIPT_UPLOAD_TTL_SECONDS",
                            "ten",
                            "TRACKLANE_OCR_PROVIDER",
                            "google",
                            "TRACKLANE_S3_ENDPOINT",
                            "http://127.0.0.1:9000",
                            "TRACKLANE_PG_POOL_SIZE",
                            "0"))));
    List<String> named =
        List.of(
            "TRACKLANE_PG_URL",
            "TRACKLANE_PG_POOL_SIZE",
            "TRACKLANE_RECEIPT_MAX_BYTES",
            "TRACKLANE_RECEIPT_UPLOAD_TTL_SECONDS",
            "TRACKLANE_OCR_PROVIDER",
            "TRACKLANE_S3_ACCESS_KEY",
            "TRACKLANE_S3_SECRET_KEY");
    assertEquals(named.size(), e.problems().size(), e.getMessage());
    for (String env : named)
      assertTrue(e.getMessage().contains(env + " "), env + " not named: " + e.getMessage());
  }
}
