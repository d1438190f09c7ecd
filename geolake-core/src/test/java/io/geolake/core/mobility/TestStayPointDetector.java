package io.geolake.core.mobility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TestStayPointDetector {
  private static final double HOME_LAT = 19.40, HOME_LON = -99.10;
  private static final double WORK_LAT = 19.45, WORK_LON = -99.15;
  private static final StayPointDetector DETECTOR =
      new StayPointDetector(100, Duration.ofMinutes(5), Duration.ofHours(1));

  private static double t(String date, String time) {
    return LocalDate.parse(date).atTime(LocalTime.parse(time)).toEpochSecond(ZoneOffset.UTC);
  }

  /** A point {@code north} and {@code east} metres from (lat, lon). */
  private static TrackPoint at(double epoch, double lat, double lon, double north, double east) {
    return new TrackPoint(epoch, lat + north / 111_195.0, lon + east / (111_195.0 * Math.cos(Math.toRadians(lat))));
  }

  @Test
  void nightAtHomeAcrossMidnightCommuteWorkAndAGap() {
    List<TrackPoint> track = new ArrayList<>();
    // Home from 23:00 to 07:00 next day, a ping every 30 min, jittering within 10 m.
    double start = t("2024-05-06", "23:00");
    for (int i = 0; i <= 16; i++) {
      track.add(at(start + i * 1800, HOME_LAT, HOME_LON, (i % 3) * 5, (i % 2) * 5));
    }
    // Leaves at 07:30: 1 km away, then a ping every 2 minutes towards work.
    double leave = t("2024-05-07", "07:30");
    for (int i = 0; i < 10; i++) {
      double f = (i + 1) / 11.0;
      track.add(new TrackPoint(leave + i * 120, HOME_LAT + 0.01 + (WORK_LAT - HOME_LAT - 0.01) * f, HOME_LON + (WORK_LON - HOME_LON) * f));
    }
    TrackPoint approach = at(leave + 10 * 120, WORK_LAT, WORK_LON, -90, 0); // 07:50, 90 m short of work
    track.add(approach);
    // At work 07:52 to 12:00 every 8 minutes (exactly at the same spot: duplicates collapse in the centroid).
    double arrive = t("2024-05-07", "07:52");
    for (double time = arrive; time <= t("2024-05-07", "12:00"); time += 480) {
      track.add(new TrackPoint(time, WORK_LAT, WORK_LON));
    }
    track.add(track.get(track.size() - 1)); // an exact duplicate ping is ignored
    // Café: 13:00, 13:10, 13:20, silent until 16:30 (gap > 1 h), 16:40, then leaves at 16:50.
    double cafeLat = 19.42, cafeLon = -99.13;
    track.add(new TrackPoint(t("2024-05-07", "12:10"), 19.43, -99.14));
    for (String time : List.of("13:00", "13:10", "13:20", "16:30", "16:40")) {
      track.add(new TrackPoint(t("2024-05-07", time), cafeLat, cafeLon));
    }
    track.add(new TrackPoint(t("2024-05-07", "16:50"), 19.30, -99.00));

    List<StayPoint> stays = DETECTOR.detect(track);

    assertThat(stays).hasSize(4);
    // 1. The night is one stay across midnight, closed by the 07:30 ping.
    assertThat(stays.get(0).startedAt()).isEqualTo(start);
    assertThat(stays.get(0).finishedAt()).isEqualTo(leave);
    assertThat(Haversine.metres(stays.get(0).latitude(), stays.get(0).longitude(), HOME_LAT + 5 / 111_195.0, HOME_LON))
        .isLessThan(5);
    // 2. The last commute ping at 07:50 (about 90 m from work) opens the window that becomes work.
    StayPoint work = stays.get(1);
    assertThat(work.startedAt()).isEqualTo(leave + 10 * 120);
    assertThat(work.finishedAt()).isEqualTo(t("2024-05-07", "12:10"));
    // Unique coordinates only: the 07:50 ping and the one work position, averaged.
    assertThat(work.latitude()).isCloseTo((approach.latitude() + WORK_LAT) / 2, within(1e-6));
    assertThat(work.longitude()).isCloseTo((approach.longitude() + WORK_LON) / 2, within(1e-6));
    // 3. The 12:10 ping stays alone 50 minutes before 13:00 at the café, 1.4 km away: a stay too.
    assertThat(stays.get(2).startedAt()).isEqualTo(t("2024-05-07", "12:10"));
    assertThat(stays.get(2).finishedAt()).isEqualTo(t("2024-05-07", "13:00"));
    // 4. The gap after 13:20 discards the café window; it restarts at 16:30.
    StayPoint cafe = stays.get(3);
    assertThat(cafe.startedAt()).isEqualTo(t("2024-05-07", "16:30"));
    assertThat(cafe.finishedAt()).isEqualTo(t("2024-05-07", "16:50"));
    assertThat(Haversine.metres(cafe.latitude(), cafe.longitude(), cafeLat, cafeLon)).isLessThan(1);
  }

  @Test
  void shortStopsAndAnOpenLastWindowAreNoStays() {
    double t0 = t("2024-05-06", "10:00");
    List<TrackPoint> track =
        List.of(
            new TrackPoint(t0, HOME_LAT, HOME_LON),
            new TrackPoint(t0 + 240, HOME_LAT, HOME_LON), // 4 minutes only
            new TrackPoint(t0 + 260, WORK_LAT, WORK_LON),
            new TrackPoint(t0 + 4000, WORK_LAT, WORK_LON)); // still open at the end
    assertThat(DETECTOR.detect(track)).isEmpty();
    assertThat(DETECTOR.detect(List.of())).isEmpty();
  }

  @Test
  void thresholdsAreAsInTrackintel() {
    double t0 = t("2024-05-06", "10:00");
    TrackPoint a = new TrackPoint(t0, 0, 0);
    // Time: at least 5 minutes (inclusive).
    assertThat(DETECTOR.detect(List.of(a, new TrackPoint(t0 + 300, 0.01, 0)))).hasSize(1);
    assertThat(DETECTOR.detect(List.of(a, new TrackPoint(t0 + 299, 0.01, 0)))).isEmpty();
    // Gap: more than the threshold between consecutive pings discards the open window.
    List<TrackPoint> sparse = List.of(a, new TrackPoint(t0 + 86_400, 0, 0), new TrackPoint(t0 + 90_000, 1, 0));
    StayPointDetector noGapLimit = new StayPointDetector(100, Duration.ofMinutes(5), null);
    assertThat(noGapLimit.detect(sparse)).singleElement().satisfies(s -> assertThat(s.startedAt()).isEqualTo(t0));
    assertThat(DETECTOR.detect(sparse))
        .singleElement()
        .satisfies(s -> assertThat(s.startedAt()).isEqualTo(t0 + 86_400)); // 3,600 s gap is not > 1 h
  }

  @Test
  void unorderedTrackIsRejected() {
    assertThatThrownBy(() -> DETECTOR.detect(List.of(new TrackPoint(10, 0, 0), new TrackPoint(5, 0, 0))))
        .hasMessageContaining("not in time order");
  }

  @Test
  void realGeoLifeTracksGiveOrderedPlausibleStays() throws IOException {
    Path root = Path.of("..", "..", "shared", "reference", "geolife_long");
    assertThat(root).isDirectory();
    for (String user : List.of("000", "001")) {
      List<TrackPoint> track = readPlt(root.resolve(user).resolve("Trajectory"));
      assertThat(track).hasSizeGreaterThan(500);
      List<StayPoint> stays =
          new StayPointDetector(100, Duration.ofMinutes(5), Duration.ofMinutes(15)).detect(track);
      assertThat(stays).as("user " + user).isNotEmpty();
      for (int i = 0; i < stays.size(); i++) {
        StayPoint s = stays.get(i);
        assertThat(s.durationSeconds()).isGreaterThanOrEqualTo(300);
        assertThat(s.latitude()).isBetween(39.0, 41.0); // Beijing
        assertThat(s.longitude()).isBetween(115.5, 117.5);
        if (i > 0) {
          assertThat(s.startedAt()).isGreaterThanOrEqualTo(stays.get(i - 1).finishedAt());
        }
      }
    }
  }

  /** GeoLife .plt: 6 header lines, then lat,lon,0,alt,days,date,time (UTC). */
  static List<TrackPoint> readPlt(Path folder) throws IOException {
    List<TrackPoint> points = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.sorted().toList()) {
        for (String line : Files.readAllLines(file).subList(6, Files.readAllLines(file).size())) {
          String[] f = line.split(",");
          double epoch = Instant.parse(f[5] + "T" + f[6] + "Z").getEpochSecond();
          points.add(new TrackPoint(epoch, Double.parseDouble(f[0]), Double.parseDouble(f[1])));
        }
      }
    }
    points.sort(java.util.Comparator.comparingDouble(TrackPoint::epochSecond));
    return points;
  }
}
