package io.geolake.core.mobility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class TestRadiusOfGyration {
  /** 0.01 degrees of arc on the sphere, in metres. */
  private static final double D = Math.toRadians(0.01) * Haversine.EARTH_RADIUS_METRES;

  @Test
  void fourPointsAroundTheOriginHaveRadiusOfTheirDistance() {
    List<TrackPoint> cross =
        List.of(
            new TrackPoint(0, 0.01, 0), new TrackPoint(1, -0.01, 0), new TrackPoint(2, 0, 0.01), new TrackPoint(3, 0, -0.01));
    assertThat(RadiusOfGyration.ofPings(cross)).isCloseTo(D, within(1e-6));
  }

  @Test
  void aSinglePlaceHasRadiusZeroAndTwoPlacesHalfTheirDistance() {
    assertThat(RadiusOfGyration.ofPings(List.of(new TrackPoint(0, 19.4, -99.1), new TrackPoint(5, 19.4, -99.1))))
        .isZero();
    assertThat(RadiusOfGyration.ofPings(List.of(new TrackPoint(0, 0, 0), new TrackPoint(1, 0.02, 0))))
        .isCloseTo(D, within(1e-6));
    assertThat(RadiusOfGyration.ofPings(List.of())).isNaN();
  }

  @Test
  void durationWeightingPullsTheCentreToTheLongStay() {
    // 3 hours at (0,0), 1 hour at (0.04, 0): centre at 0.01; distances 0.01 and 0.03 degrees.
    List<StayPoint> stays =
        List.of(new StayPoint(0, 3 * 3600, 0, 0, 10), new StayPoint(20_000, 20_000 + 3600, 0.04, 0, 5));
    double expected = Math.sqrt((3 * D * D + 1 * 9 * D * D) / 4);
    assertThat(RadiusOfGyration.ofStayPointsByDuration(stays)).isCloseTo(expected, within(1e-6));
  }
}
