package io.tracklane.gateway.device;

/** No device key, or one that is unknown or revoked: HTTP 401, MQTT bad user name or password. */
public final class DeviceKeyRejected extends RuntimeException {
  public DeviceKeyRejected(String message) {
    super(message, null, false, false);
  }
}
