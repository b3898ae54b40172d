package io.tracklane.fixestable;

import io.tracklane.core.fix.Fix;

/**
 * One item of the fixes table as stored: the device's fix, who sent it, and {@code receivedAt}, the
 * gateway's clock when the payload carrying it arrived, which the device cannot set (the completion
 * check compares the two clocks to tell a live ride from one uploaded in a burst).
 *
 * @param receivedAt gateway time the fix arrived, epoch ms (null on items written before it was
 *     stored)
 */
public record StoredFix(String taskId, String riderId, Fix fix, Long receivedAt) {
  public long ts() {
    return fix.ts();
  }
}
