package io.tracklane.backoffice.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.core.config.SettingsException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reports unit reads its typed settings at init and names every bad one at once. */
class ReportSettingsTest {

  @Test
  void defaultsAndValues() {
    ReportSettings s =
        ReportSettings.from(
            BackofficeConfig.of(
                Map.of(
                    "TRACKLANE_PG_URL", "postgresql://u@h/db", "TRACKLANE_REPORTS_BUCKET", "r")));
    assertEquals(
        new ReportSettings(
            "r", ZoneId.of("Asia/Shanghai"), Duration.ofSeconds(300), "", Duration.ofSeconds(900)),
        s);
  }

  @Test
  void everyBadSettingIsNamedAtOnce() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () ->
                ReportSettings.from(
                    BackofficeConfig.of(
                        Map.of(
                            "TRACKLANE_PG_URL",
                            "postgresql://u@h/db",
                            "TRACKLANE_BUSINESS_TIMEZONE",
                            "Beijing",
                            "TRACKLANE_REPORT_URL_TTL_SECONDS",
                            "604801"))));
    assertEquals(3, e.problems().size(), e.getMessage());
    assertTrue(e.problems().contains("TRACKLANE_REPORTS_BUCKET is required"), e.getMessage());
    assertTrue(
        e.getMessage().contains("TRACKLANE_BUSINESS_TIMEZONE must be an IANA time zone"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("TRACKLANE_REPORT_URL_TTL_SECONDS must be 1..604800"),
        e.getMessage());
  }
}
