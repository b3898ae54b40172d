package io.tracklane.gateway.device;

import io.tracklane.gateway.access.Device;
import io.tracklane.gateway.access.DeviceKeys;
import io.tracklane.gateway.access.UserStatus;
import io.tracklane.gateway.auth.UserCheckFailed;
import io.tracklane.gateway.auth.UserDeactivated;
import io.vertx.core.Future;

/**
 * The check every phone-app request and MQTT device session passes, the device-key twin of {@link
 * io.tracklane.gateway.auth.Authenticator}: the key belongs to a device that is not revoked ({@link
 * DeviceKeyRejected} otherwise) and its rider is active ({@link UserDeactivated} otherwise). A
 * failed lookup fails with {@link UserCheckFailed}: "retry later". Keys never reach a log or an
 * error message.
 */
public final class DeviceAuth {
  static final String UNKNOWN = "unknown or revoked device key";

  private final DeviceKeys keys;
  private final UserStatus users;

  public DeviceAuth(DeviceKeys keys, UserStatus users) {
    this.keys = keys;
    this.users = users;
  }

  public Future<Device> authenticate(String key) {
    if (key == null || key.isEmpty())
      return Future.failedFuture(new DeviceKeyRejected("a device key is required"));
    if (!DeviceKeys.looksLikeKey(key)) return Future.failedFuture(new DeviceKeyRejected(UNKNOWN));
    return keys.lookup(key)
        .recover(err -> Future.failedFuture(new UserCheckFailed(err)))
        .compose(
            device -> {
              if (device == null) return Future.failedFuture(new DeviceKeyRejected(UNKNOWN));
              return users
                  .isActive(device.userId())
                  .recover(err -> Future.failedFuture(new UserCheckFailed(err)))
                  .compose(
                      active ->
                          active
                              ? Future.succeededFuture(device)
                              : Future.failedFuture(new UserDeactivated()));
            });
  }

  public DeviceKeys keys() {
    return keys;
  }
}
