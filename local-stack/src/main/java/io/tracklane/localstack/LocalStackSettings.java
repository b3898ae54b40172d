package io.tracklane.localstack;

import io.tracklane.core.config.Setting;
import io.tracklane.devkit.Dynalite;
import java.util.List;

/** The local stack's own settings (development only), as typed keys like every other unit's. */
public final class LocalStackSettings {
  private LocalStackSettings() {}

  public static final Setting<String> LOCAL_DIR =
      Setting.string(
          "TRACKLANE_LOCAL_DIR",
          ".tracklane",
          "where `bin/stack` keeps Postgres, dynalite and S3 data between runs");
  public static final Setting<Integer> POSTGRES_PORT =
      Setting.port(
          "TRACKLANE_POSTGRES_PORT", 5432, "embedded Postgres port (a free one if it is taken)");
  public static final Setting<Integer> DYNALITE_PORT =
      Setting.port("TRACKLANE_DYNALITE_PORT", 8000, "dynalite port (a free one if it is taken)");
  public static final Setting<Integer> S3_PORT =
      Setting.port("TRACKLANE_S3_PORT", 9000, "in-process S3 port (a free one if it is taken)");
  public static final Setting<Integer> API_PORT =
      Setting.port("TRACKLANE_API_PORT", 8081, "local-api port (a free one if it is taken)");
  public static final Setting<String> DYNALITE_DIR =
      Setting.string(
          Dynalite.DIR_ENV,
          "",
          "where dynalite is installed from npm; empty: `~/.cache/tracklane/dynalite4`");
  public static final Setting<Boolean> SIMULATE =
      Setting.bool(
          "TRACKLANE_SIMULATE", true, "start the demo fleet (riders 1–3 ride the seeded tasks)");
  public static final Setting<Double> SIMULATE_SPEEDUP =
      Setting.decimal(
          "TRACKLANE_SIMULATE_SPEEDUP",
          5,
          0.1,
          1000,
          "how many times faster than real time the demo fleet rides");

  /** In the README's order. */
  public static final List<Setting<?>> ALL =
      List.of(
          LOCAL_DIR,
          POSTGRES_PORT,
          DYNALITE_PORT,
          S3_PORT,
          API_PORT,
          DYNALITE_DIR,
          SIMULATE,
          SIMULATE_SPEEDUP);
}
