package io.tracklane.deploy.compose;

import io.tracklane.backoffice.auth.UserStore;
import io.tracklane.backoffice.common.BackofficeConfig;
import io.tracklane.backoffice.common.BackofficeContext;
import io.tracklane.backoffice.common.BackofficeSettings;
import io.tracklane.backoffice.common.Migrations;
import io.tracklane.backoffice.localapi.LocalBackoffice;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * local-api as a container (docker-compose.yml): every back-office handler behind the real
 * authorizer and the merged OpenAPI, configured by the same environment variables as the Lambdas
 * ({@code TRACKLANE_PG_URL}, {@code TRACKLANE_FIXES_TABLE}, {@code TRACKLANE_DYNAMODB_ENDPOINT},
 * ...).
 *
 * <p>Compose-only settings: {@code TRACKLANE_API_PORT} (8081), {@code TRACKLANE_LOCAL_DIR} (where
 * the signing key is generated when {@code TRACKLANE_SIGNING_KEY} is empty), and {@code
 * TRACKLANE_BOOTSTRAP_ADMIN_PASSWORD}: creates the user {@code admin} with that password if it does
 * not exist (the password comes from the developer's environment, never from a file here).
 * Migrations are applied at start, as the deploy's migrations function does on AWS.
 */
public final class LocalApiServer {
  private LocalApiServer() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    if (env.getOrDefault(BackofficeSettings.SIGNING_KEY.env(), "").isBlank()) {
      Path dir = Path.of(env.getOrDefault("TRACKLANE_LOCAL_DIR", "/var/lib/tracklane"));
      env.put(
          BackofficeSettings.SIGNING_KEY.env(),
          SigningKeyFile.loadOrCreate(dir.resolve("signing-key.jwk.json")));
    }
    BackofficeContext ctx = BackofficeContext.create(BackofficeConfig.of(env));
    int applied = Migrations.apply(ctx.db());
    System.out.println("[local-api] migrations applied: " + applied);
    String adminPassword = env.getOrDefault("TRACKLANE_BOOTSTRAP_ADMIN_PASSWORD", "");
    if (!adminPassword.isBlank()) {
      UserStore.seedUser(ctx, "admin", "Administrator", "admin", adminPassword);
    }
    Vertx vertx = Vertx.vertx();
    LocalBackoffice api = LocalBackoffice.create(vertx, ctx);
    int port =
        api.listen(
                env.getOrDefault("TRACKLANE_API_HOST", "0.0.0.0"),
                Integer.parseInt(env.getOrDefault("TRACKLANE_API_PORT", "8081")))
            .await(30, TimeUnit.SECONDS);
    System.out.println(api.routesTable());
    System.out.println("TRACKLANE_LOCAL_API_READY port=" + port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    api.close().await(5, TimeUnit.SECONDS);
                  } catch (Exception ignored) {
                    // exiting anyway
                  }
                  ctx.close();
                  stopped.countDown();
                },
                "local-api-shutdown"));
    stopped.await();
  }
}
