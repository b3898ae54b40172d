package io.tracklane.backoffice.tasks;

import io.tracklane.core.fix.Fix;

/**
 * A fix as stored in the fixes table: the device's fix and {@code receivedAt}, the gateway's
 * clock (epoch ms) when the payload carrying it arrived (null on an item written without it).
 * Completion compares the two clocks to tell a ride uploaded as it happened from one uploaded
 * in a burst afterwards ({@link RideEvidence}).
 */
public record StoredFix(Fix fix, Long receivedAt) {
  public long ts() {
    return fix.ts();
  }
}
