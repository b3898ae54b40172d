package io.tracklane.gateway.access;

/**
 * A rider's phone app that reports with a device key (OwnTracks, Traccar Client): a row of the back
 * office's {@code rider_devices}.
 *
 * @param topicDevice the device segment of its OwnTracks topic {@code owntracks/{user}/{device}}
 */
public record Device(String deviceId, String userId, String topicDevice) {}
