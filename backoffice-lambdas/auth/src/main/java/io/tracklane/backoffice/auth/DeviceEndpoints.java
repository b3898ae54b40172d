package io.tracklane.backoffice.auth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tracklane.backoffice.common.ApiException;
import io.tracklane.backoffice.common.ApiRequest;
import io.tracklane.backoffice.common.Caller;
import io.tracklane.backoffice.common.Responses;
import io.tracklane.backoffice.common.Validator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * A rider's phone-app devices: {@code /riders/me/devices} (the rider's own) and {@code
 * /riders/{riderId}/devices} (staff list, admins revoke). Which role reaches which is {@code
 * Permissions}'; ownership is checked here.
 */
final class DeviceEndpoints {
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  private final DeviceStore devices;
  private final UserStore users;
  private final DeviceSetup setup;

  DeviceEndpoints(DeviceStore devices, UserStore users, DeviceSetup setup) {
    this.devices = devices;
    this.users = users;
    this.setup = setup;
  }

  /**
   * {@code POST /riders/me/devices {name}} → 201 with the key and its setup, the only time either
   * is shown.
   */
  APIGatewayProxyResponseEvent create(ApiRequest request) {
    Caller caller = requireRider(request);
    JsonObject body = request.jsonBody();
    Validator v = new Validator(body);
    body.fieldNames().stream()
        .filter(f -> !f.equals("name"))
        .sorted()
        .forEach(f -> v.error(f, "is not a known field"));
    String name = v.string("name", true, DeviceStore.NAME_MAX);
    if (name != null && CONTROL.matcher(name).find()) {
      v.error("name", "must not contain control characters (line breaks, tabs…)");
    }
    v.throwIfInvalid();
    UserStore.User rider =
        users
            .findById(caller.userId())
            .orElseThrow(() -> ApiException.notFound("your account no longer exists"));
    DeviceStore.Created created = devices.create(rider.id(), name.strip());
    DeviceStore.Device device = created.device();
    return Responses.created(
        device
            .toJson()
            .put("key", created.key())
            .put("setup", setup.forDevice(rider.username(), device.topicDevice(), created.key())));
  }

  /** {@code GET /riders/me/devices}: the caller's unrevoked devices, never with a key. */
  APIGatewayProxyResponseEvent listMine(ApiRequest request) {
    return list(requireRider(request).userId());
  }

  /** {@code DELETE /riders/me/devices/{deviceId}}: 404 for a device that is not the caller's. */
  APIGatewayProxyResponseEvent revokeMine(ApiRequest request) {
    Caller caller = requireRider(request);
    return revoke(caller.userId(), request.pathParam("deviceId"), caller.userId());
  }

  /** {@code GET /riders/{riderId}/devices} (staff). */
  APIGatewayProxyResponseEvent listRiders(ApiRequest request) {
    String riderId = request.pathParam("riderId");
    if (users.findById(riderId).isEmpty()) throw ApiException.notFound("no rider " + riderId);
    return list(riderId);
  }

  /** {@code DELETE /riders/{riderId}/devices/{deviceId}} (admin). */
  APIGatewayProxyResponseEvent revokeRiders(ApiRequest request) {
    Caller caller = request.caller();
    if (!caller.isAdmin())
      throw ApiException.forbidden("only an admin may revoke another rider's device");
    return revoke(request.pathParam("riderId"), request.pathParam("deviceId"), caller.userId());
  }

  private APIGatewayProxyResponseEvent list(String riderId) {
    JsonArray items = new JsonArray();
    devices.list(riderId).forEach(d -> items.add(d.toJson()));
    return Responses.ok(
        new JsonObject().put("devices", items).put("maxDevices", devices.maxPerRider()));
  }

  private APIGatewayProxyResponseEvent revoke(String riderId, String deviceId, String by) {
    devices
        .revoke(riderId, deviceId, by)
        .orElseThrow(() -> ApiException.notFound("no device " + deviceId));
    return Responses.noContent();
  }

  /** Defence in depth: the authorizer already allows /riders/me/devices to riders only. */
  private static Caller requireRider(ApiRequest request) {
    Caller caller = request.caller();
    if (!caller.isRider())
      throw ApiException.forbidden("only a rider has phone-app devices of their own");
    return caller;
  }
}
