package io.tracklane.backoffice.localapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracklane.backoffice.auth.AuthSettings;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.receipts.ReceiptSettings;
import io.tracklane.backoffice.reports.ReportSettings;
import io.tracklane.backoffice.tasks.TaskSettings;
import io.tracklane.core.config.Setting;
import io.tracklane.core.config.SettingsTable;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's back-office tables (shared settings and one per Lambda unit) are generated from the
 * typed keys: this fails when a key is missing from its table, when a table lists one that does not
 * exist, or when a default, range or meaning differs. {@code -Dupdate=true} rewrites them.
 */
class BackofficeConfigDocsTest {

  @ParameterizedTest
  @ValueSource(strings = {"backoffice", "auth", "tasks", "receipts", "reports"})
  void readmeTableIsGeneratedFromTheKeys(String section) throws Exception {
    List<? extends Setting<?>> keys =
        switch (section) {
          case "backoffice" -> BackofficeSettings.ALL;
          case "auth" -> AuthSettings.OWN;
          case "tasks" -> TaskSettings.OWN;
          case "receipts" -> ReceiptSettings.OWN;
          case "reports" -> ReportSettings.OWN;
          default -> throw new IllegalArgumentException(section);
        };
    assertEquals(
        List.of(),
        SettingsTable.sync(
            Path.of("..", "..", "README.md"), section, keys, Boolean.getBoolean("update")));
  }
}
