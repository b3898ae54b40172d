package io.tracklane.backoffice.common;

import io.tracklane.devkit.LocalPostgres;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** A fresh, migrated database in the shared embedded Postgres, wrapped in a BackofficeContext. */
public final class TestDatabase {
  private TestDatabase() {}

  public static BackofficeContext freshContext() {
    return freshContext(Map.of(), Clock.systemUTC());
  }

  public static BackofficeContext freshContext(Map<String, String> extraConfig, Clock clock) {
    String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    String url = LocalPostgres.shared().createDatabase(name);
    Map<String, String> values = new HashMap<>(extraConfig);
    values.put(BackofficeSettings.PG_URL.env(), url);
    BackofficeConfig config = BackofficeConfig.of(values);
    Database db = Database.create(config);
    Migrations.apply(db);
    return new BackofficeContext(config, db, clock);
  }
}
