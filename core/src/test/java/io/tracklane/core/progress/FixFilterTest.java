package io.tracklane.core.progress;

import static io.tracklane.core.progress.FixFilter.Verdict.ACCEPTED;
import static io.tracklane.core.progress.FixFilter.Verdict.IMPLAUSIBLE;
import static io.tracklane.core.progress.FixFilter.Verdict.INACCURATE;
import static io.tracklane.core.progress.FixFilter.Verdict.INVALID;
import static io.tracklane.core.progress.FixFilter.Verdict.LATE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracklane.core.fix.Fix;
import io.tracklane.core.geo.GeoPoint;
import org.junit.jupiter.api.Test;

class FixFilterTest {
  final FixFilter f = new FixFilter(ProgressConfig.DEFAULTS);

  static Fix at(long s, double eastM, Double acc) {
    GeoPoint p = TestKit.offset(TestKit.ORIGIN, eastM, 0);
    return new Fix(s * 1000, p.lat(), p.lon(), acc, null, null, null, null);
  }

  @Test
  void lateAndDuplicateFixesAreRejected() {
    assertEquals(ACCEPTED, f.check(at(100, 0, null)));
    assertEquals(LATE, f.check(at(100, 0, null)));
    assertEquals(LATE, f.check(at(50, 0, null)));
    assertEquals(ACCEPTED, f.check(at(110, 100, null)));
    assertEquals(110_000, f.lastAcceptedTs());
  }

  @Test
  void inaccurateFixesAreRejectedWithoutBecomingTheReference() {
    assertEquals(ACCEPTED, f.check(at(0, 0, 5.0)));
    assertEquals(INACCURATE, f.check(at(10, 5000, 51.0)));
    assertEquals(ACCEPTED, f.check(at(20, 100, 50.0)));
    assertEquals(20_000, f.lastAcceptedTs());
  }

  @Test
  void spikesAreRejectedButNotForever() {
    assertEquals(ACCEPTED, f.check(at(0, 0, null)));
    assertEquals(ACCEPTED, f.check(at(10, 600, null))); // exactly 60 m/s
    assertEquals(IMPLAUSIBLE, f.check(at(20, 1300, null)));
    assertEquals(IMPLAUSIBLE, f.check(at(21, 5000, null)));
    assertEquals(IMPLAUSIBLE, f.check(at(22, 5000, null)));
    // After three spikes in a row the next fix is taken, or one bad fix could lock the rest out.
    assertEquals(ACCEPTED, f.check(at(23, 5000, null)));
    assertEquals(ACCEPTED, f.check(at(33, 5100, null)));
  }

  @Test
  void invalidPositionsAreRejected() {
    assertEquals(INVALID, f.check(Fix.of(0, Double.NaN, 0)));
    assertEquals(INVALID, f.check(Fix.of(0, 0, 181)));
    assertEquals(ACCEPTED, f.check(Fix.of(0, 0, 0)));
  }
}
