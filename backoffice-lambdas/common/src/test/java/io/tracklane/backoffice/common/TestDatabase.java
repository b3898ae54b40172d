package io.tracklane.backoffice.common;

import io.tracklane.devkit.LocalPostgres;
import io.vertx.core.Vertx;
import java.time.Clock;
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
    Map<String, String> values = new java.util.HashMap<>(extraConfig);
    values.put(BackofficeSettings.PG_URL.env(), url);
    BackofficeConfig config = BackofficeConfig.of(values);
    Vertx vertx = Vertx.vertx();
    Database db = Database.create(vertx, config);
    Database.await(Migrations.apply(db.pool()));
    return new BackofficeContext(vertx, config, db, clock);
  }
}
