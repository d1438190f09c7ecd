package io.geolake.core.mobility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestTrips {
  @Test
  void aTripRunsFromTheStayLeftThroughItsPingsToTheNextStaysFirstPing() {
    // Stay A (0-600 s), leave at 600 s, two moving pings, stay B from 900 s, leave at 1500 s.
    List<TrackPoint> track =
        List.of(
            new TrackPoint(0, 0, 0),
            new TrackPoint(300, 0, 0),
            new TrackPoint(600, 0.01, 0),
            new TrackPoint(700, 0.02, 0),
            new TrackPoint(900, 0.03, 0),
            new TrackPoint(1200, 0.03, 0),
            new TrackPoint(1500, 0.05, 0));
    List<StayPoint> stays = new StayPointDetector(100, Duration.ofMinutes(5), null).detect(track);
    assertThat(stays).hasSize(2);
    assertThat(stays.get(1).startedAt()).isEqualTo(900);

    List<Trip> trips = Trips.between(track, stays);

    assertThat(trips).hasSize(1);
    Trip trip = trips.get(0);
    assertThat(trip.startedAt()).isEqualTo(600);
    assertThat(trip.finishedAt()).isEqualTo(900);
    assertThat(trip.pings()).isEqualTo(3); // 600, 700, 900
    double step = Haversine.metres(0, 0, 0.01, 0);
    // From A's centroid (0, 0) to the leaving ping, then 600 -> 700 -> 900.
    assertThat(trip.distanceMetres()).isCloseTo(3 * step, within(1e-6));
    assertThat(trip.maxSpeedMetresPerSecond()).isCloseTo(step / 100, within(1e-9));
  }

  @Test
  void onASparseTrackTheLeavingPingIsTheNextStaysFirstAndTheTripStillCoversTheMove() {
    // Home at (0, 0) until 07:00; no ping on the way; work at (0, 0.09), about 10 km east, from 09:00.
    List<TrackPoint> track =
        List.of(
            new TrackPoint(0, 0, 0),
            new TrackPoint(3600, 0, 0.0001),
            new TrackPoint(7 * 3600, 0, 0),
            new TrackPoint(9 * 3600, 0, 0.09),
            new TrackPoint(10 * 3600, 0, 0.0901),
            new TrackPoint(12 * 3600, 0, 0.09),
            new TrackPoint(13 * 3600, 0, 0));
    List<StayPoint> stays = new StayPointDetector(100, Duration.ofMinutes(5), null).detect(track);
    assertThat(stays).hasSize(2);
    assertThat(stays.get(0).finishedAt()).isEqualTo(stays.get(1).startedAt()).isEqualTo(9 * 3600);

    Trip trip = Trips.between(track, stays).get(0);

    assertThat(trip.pings()).isEqualTo(1);
    assertThat(trip.startedAt()).isEqualTo(trip.finishedAt());
    double move = Haversine.metres(stays.get(0).latitude(), stays.get(0).longitude(), 0, 0.09);
    assertThat(move).isGreaterThan(9_900);
    assertThat(trip.distanceMetres()).isCloseTo(move, within(1e-6));
    assertThat(trip.maxSpeedMetresPerSecond()).isNaN(); // no two pings of the trip to time
  }

  @Test
  void fewerThanTwoStaysMeanNoTrip() {
    assertThat(Trips.between(List.of(new TrackPoint(0, 0, 0)), List.of())).isEmpty();
  }
}
