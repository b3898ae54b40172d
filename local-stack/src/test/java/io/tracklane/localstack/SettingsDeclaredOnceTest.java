package io.tracklane.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracklane.backoffice.auth.AuthSettings;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.receipts.ReceiptSettings;
import io.tracklane.backoffice.receipts.ocr.OcrSettings;
import io.tracklane.backoffice.reports.ReportSettings;
import io.tracklane.backoffice.tasks.TaskSettings;
import io.tracklane.core.config.Setting;
import io.tracklane.core.config.SettingsTable;
import io.tracklane.core.config.SharedSettings;
import io.tracklane.gateway.config.GatewaySettings;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every environment variable of the project is declared once: where the gateway and the back office
 * (or two units) read the same variable, they hold the same key (or its required form), so its
 * default and meaning cannot drift apart. Also keeps the README's local-stack table generated.
 */
class SettingsDeclaredOnceTest {
  private static final List<Class<?>> HOLDERS =
      List.of(
          SharedSettings.class,
          GatewaySettings.class,
          BackofficeSettings.class,
          AuthSettings.class,
          TaskSettings.class,
          ReceiptSettings.class,
          OcrSettings.class,
          ReportSettings.class,
          LocalStackSettings.class);

  @Test
  void aVariableReadInSeveralPlacesIsOneDeclaration() throws Exception {
    Map<String, List<String>> where = new LinkedHashMap<>();
    Map<String, Setting<?>> first = new LinkedHashMap<>();
    List<String> drift = new ArrayList<>();
    for (Class<?> holder : HOLDERS) {
      for (Field f : holder.getFields()) {
        if (!Modifier.isStatic(f.getModifiers()) || f.getType() != Setting.class) continue;
        Setting<?> key = (Setting<?>) f.get(null);
        where.computeIfAbsent(key.env(), k -> new ArrayList<>()).add(holder.getSimpleName());
        Setting<?> seen = first.putIfAbsent(key.env(), key);
        if (seen != null && seen != key && !sameDeclaration(seen, key)) {
          drift.add(key.env() + " in " + where.get(key.env()));
        }
      }
    }
    assertTrue(where.size() > 50, "found only " + where.size() + " variables");
    assertEquals(List.of(), drift, "declared more than once with a different default or meaning");
  }

  /** A key and its {@link Setting#required()} form: same name, meaning and allowed values. */
  private static boolean sameDeclaration(Setting<?> a, Setting<?> b) {
    return a.doc().equals(b.doc())
        && a.allowed().equals(b.allowed())
        && (a.isRequired() || b.isRequired() || a.defaultValue().equals(b.defaultValue()));
  }

  @Test
  void readmeLocalStackTableIsGeneratedFromTheKeys() throws Exception {
    assertEquals(
        List.of(),
        SettingsTable.sync(
            Path.of("..", "README.md"),
            "local-stack",
            LocalStackSettings.ALL,
            Boolean.getBoolean("update")));
  }
}
