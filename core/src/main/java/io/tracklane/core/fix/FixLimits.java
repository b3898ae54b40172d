package io.tracklane.core.fix;

/**
 * Bounds applied by {@link FixPayloadParser}.
 *
 * @param maxFixesPerPayload most fixes accepted in one payload
 * @param maxAheadMs how far a fix's timestamp may lie ahead of server time
 * @param maxBehindMs how far a fix's timestamp may lie behind server time (offline buffers)
 */
public record FixLimits(int maxFixesPerPayload, long maxAheadMs, long maxBehindMs) {

  /** 1000 fixes per payload, 5 minutes ahead, 7 days behind. */
  public static final FixLimits DEFAULTS = new FixLimits(1000, 300_000, 7 * 24 * 3600_000L);

  public FixLimits {
    if (maxFixesPerPayload <= 0) {
      throw new IllegalArgumentException(
          "maxFixesPerPayload must be positive, got " + maxFixesPerPayload);
    }
    if (maxAheadMs <= 0)
      throw new IllegalArgumentException("maxAheadMs must be positive, got " + maxAheadMs);
    if (maxBehindMs <= 0)
      throw new IllegalArgumentException("maxBehindMs must be positive, got " + maxBehindMs);
  }
}
