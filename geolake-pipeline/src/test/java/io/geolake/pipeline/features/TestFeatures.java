package io.geolake.pipeline.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.mobility.Haversine;
import io.geolake.core.mobility.StayPoint;
import io.geolake.core.mobility.StayPointDetector;
import io.geolake.core.mobility.TrackPoint;
import io.geolake.core.mobility.Trip;
import io.geolake.core.mobility.Trips;
import io.geolake.core.schema.Tables;
import io.geolake.generator.GeneratorSettings;
import io.geolake.generator.SyntheticDeliveries;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.RunListener;
import io.geolake.pipeline.run.RunReport;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.geolake.pipeline.testing.Landing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestFeatures extends BaseSparkTest {
  private static final LocalDate START = LocalDate.of(2024, 5, 6);

  @TempDir Path data;

  @Test
  void incrementalStayPointsAndTripsEqualADetectionOverTheWholeHistory() {
    Path places = io.geolake.generator.PlacesOfInterest.writeTo(data.resolve("places.geojson"));
    GeolakeConfig config = config(data, "guard.max-reject-share=0.2", "features.places.geofences=" + places);
    LakehouseCatalog catalog = catalog(config);
    // Late rows and corrections make later deliveries change earlier days.
    new SyntheticDeliveries(GeneratorSettings.defaults(10, 5, START, 5)).writeTo(data.resolve("landing"), s -> {});
    DailyRun run = new DailyRun(catalog, config, RunListener.NONE);
    for (int d = 0; d < 5; d++) {
      RunReport report = run.run(START.plusDays(d));
      assertThat(report.features().devices()).isPositive();
    }

    assertStaysAndTripsEqualADetectionOverTheWholeHistory(config, catalog, 20, 10);
    // Visits kept up with the stays they come from: the same as joining the final stays with the places.
    String visitColumns = "device, place_id, CAST(arrived_at AS STRING), CAST(departed_at AS STRING)";
    List<Row> expectedVisits =
        io.geolake.pipeline.places.Visits.of(spark, spark.table(catalog.qualified(Tables.STAY_POINTS)),
                io.geolake.pipeline.places.Geofences.read(spark, places.toString()))
            .selectExpr(visitColumns.split(", (?=[a-zC])")).collectAsList();
    assertThat(expectedVisits).isNotEmpty();
    assertThat(spark.table(catalog.qualified(Tables.VISITS)).selectExpr(visitColumns.split(", (?=[a-zC])")).collectAsList())
        .containsExactlyInAnyOrderElementsOf(expectedVisits);
    // Device ids never reach the consumption layer in clear.
    assertThat(count("SELECT count(*) FROM %s s JOIN %s p ON s.device = p.device_id",
        catalog.qualified(Tables.STAY_POINTS), catalog.qualified(Tables.STAGING_PINGS))).isZero();
  }

  /**
   * Devices with no earlier stay (new ones, ones that never stayed) are read from their last
   * silence longer than the gap, not from the start of history; a device whose track runs on
   * without one is still read whole, and the result stays exact either way.
   */
  @Test
  void devicesWithoutAnEarlierStayAreReadFromTheirLastSilence() {
    GeolakeConfig config = config(data); // stay-points: 100 m, PT5M, gap PT12H
    LakehouseCatalog catalog = catalog(config);
    Landing landing = new Landing(data.resolve("landing"));
    for (int d = 2; d < 6; d++) { // deliveries on days 3 to 6
      List<String> lines = new ArrayList<>();
      LocalDate day = START.plusDays(d);
      // home stays at A, then B, every day but the last: from day 4 on it has an earlier stay.
      if (d < 5) {
        for (int m = 0; m <= 120; m += 10) lines.add(ping("home", A, day, 8 * 60 + m));
        for (int m = 130; m <= 240; m += 10) lines.add(ping("home", B, day, 8 * 60 + m));
        lines.add(ping("home", A, day, 12 * 60 + 10));
      }
      switch (d) {
        case 2 -> {
          // quiet moves 1.1 km every 2 minutes: never stays on day 3
          for (int i = 0; i <= 10; i++) lines.add(ping("quiet", A + 0.01 * i, day, 8 * 60 + 2 * i));
          lines.add(ping("sleeper", A, day, 20 * 60)); // then silent for 37 hours
        }
        case 3 -> {
          lines.add(ping("napper", A, day, 22 * 60)); // silent for 10 hours (< gap), then stays on
          for (int h = 20; h <= 23; h++) lines.add(ping("walker", A, day, h * 60)); // hourly, never leaves until day 6
        }
        case 4 -> {
          for (String device : List.of("quiet", "newbie")) {
            for (int m = 0; m <= 60; m += 10) lines.add(ping(device, device.equals("quiet") ? A : C, day, 8 * 60 + m));
            lines.add(ping(device, device.equals("quiet") ? B : A, day, 9 * 60 + 10));
          }
          for (int m = 0; m <= 60; m += 10) lines.add(ping("sleeper", A, day, 9 * 60 + m));
          lines.add(ping("sleeper", B, day, 10 * 60 + 10));
          for (int m : new int[] {8 * 60, 8 * 60 + 30, 9 * 60, 19 * 60}) lines.add(ping("napper", A, day, m));
          lines.add(ping("napper", B, day, 19 * 60 + 30));
          for (int h = 0; h <= 23; h++) lines.add(ping("walker", A, day, h * 60));
        }
        case 5 -> {
          for (int h = 0; h <= 11; h++) lines.add(ping("walker", A, day, h * 60));
          lines.add(ping("walker", B, day, 12 * 60));
          lines.add(ping("walker", B, day, 12 * 60 + 10));
        }
        default -> {}
      }
      landing.csv(day, "part-0.csv", lines.toArray(String[]::new));
    }
    // The steps the features depend on, without the run's bookkeeping: this test is about stays.
    catalog.ensureTables(config);
    List<FeaturesResult> features = new ArrayList<>();
    for (int d = 2; d < 6; d++) {
      LocalDate day = START.plusDays(d);
      var ingest = new io.geolake.pipeline.ingest.IngestStep(catalog, config).execute(day);
      var stage = new io.geolake.pipeline.staging.StageStep(catalog, config).execute(day, ingest);
      features.add(new FeaturesStep(catalog, config).execute(day, stage));
    }

    // Day 5: quiet, newbie, sleeper, napper and walker have no earlier stay, but each has a long
    // silence before its change (or before the pings looked at), so staging is read from home's
    // restart, the closing ping of its last stay (day 4, 12:10), not from the first delivery.
    assertThat(features.get(2).devices()).isEqualTo(6);
    assertThat(features.get(2).tracksReadFrom()).isEqualTo(java.time.Instant.parse("2024-05-09T12:10:00Z"));
    // Day 6: walker has pinged at most an hour apart since day 4, 20:00, with no stay yet: it
    // needs its whole track.
    assertThat(features.get(3).tracksReadFrom()).isNull();

    assertStaysAndTripsEqualADetectionOverTheWholeHistory(config, catalog, 8, 4);
    Map<String, String> spans = new LinkedHashMap<>();
    byte[] key = config.features().pseudonymKey().getBytes(StandardCharsets.UTF_8);
    for (String device : List.of("napper", "walker", "sleeper")) {
      Row stay = sql("SELECT CAST(started_at AS STRING), CAST(finished_at AS STRING) FROM %s WHERE device = '%s'",
          catalog.qualified(Tables.STAY_POINTS), Pseudonyms.of(key, device)).get(0);
      spans.put(device, stay.getString(0) + " - " + stay.getString(1));
    }
    assertThat(spans)
        .containsEntry("napper", "2024-05-09 22:00:00 - 2024-05-10 19:30:00") // across the 10-hour silence
        .containsEntry("walker", "2024-05-09 20:00:00 - 2024-05-11 12:00:00")
        .containsEntry("sleeper", "2024-05-10 09:00:00 - 2024-05-10 10:10:00");
  }

  private static final double A = 19.40;
  private static final double B = 19.42; // 2.2 km north of A
  private static final double C = 19.38;

  private static String ping(String device, double latitude, LocalDate day, int minuteOfDay) {
    return String.format("%s,idfa,%.4f,-99.1000,10,%sT%02d:%02d:00Z", device, latitude, day, minuteOfDay / 60, minuteOfDay % 60);
  }

  @Test
  void dailyFeaturesOfAHandMadeDay() {
    GeolakeConfig config = config(data, "guard.max-reject-share=1.0");
    LakehouseCatalog catalog = catalog(config);
    new Landing(data.resolve("landing"))
        .csv(
            START,
            "part-0.csv",
            "d,idfa,19.40,-99.10,10,2024-05-06T10:00:00Z",
            "d,idfa,19.41,-99.10,10,2024-05-06T10:30:00Z",
            "d,idfa,19.41,-99.10,10,2024-05-06T12:00:00Z");

    RunReport report = new DailyRun(catalog, config, RunListener.NONE).run(START);

    assertThat(report.features().featureRows()).isEqualTo(1);
    Row f = sql("SELECT * FROM %s", catalog.qualified(Tables.DEVICE_DAILY_FEATURES)).get(0);
    double step = Haversine.metres(19.40, -99.10, 19.41, -99.10);
    double centre = (19.40 + 19.41 + 19.41) / 3;
    double d1 = Haversine.metres(19.40, -99.10, centre, -99.10);
    double d2 = Haversine.metres(19.41, -99.10, centre, -99.10);
    assertThat(f.getDate(f.fieldIndex("feature_date")).toLocalDate()).isEqualTo(START);
    assertThat(f.getString(f.fieldIndex("device"))).hasSize(64).isNotEqualTo("d");
    assertThat(f.getLong(f.fieldIndex("pings"))).isEqualTo(3);
    assertThat(f.getLong(f.fieldIndex("active_hours"))).isEqualTo(2);
    assertThat(f.getDouble(f.fieldIndex("distance_m"))).isCloseTo(step, within(1e-6));
    assertThat(f.getDouble(f.fieldIndex("max_speed_mps"))).isCloseTo(step / 1800, within(1e-9));
    assertThat(f.getDouble(f.fieldIndex("radius_of_gyration_m"))).isCloseTo(Math.sqrt((d1 * d1 + 2 * d2 * d2) / 3), within(1e-6));
    assertThat(f.getLong(f.fieldIndex("distinct_h3_cells"))).isEqualTo(2);
    assertThat(f.getLong(f.fieldIndex("stay_points"))).isEqualTo(1); // 10:00-10:30; the 12:00 window stays open
    assertThat(f.getTimestamp(f.fieldIndex("first_seen")).toInstant().toString()).isEqualTo("2024-05-06T10:00:00Z");
    assertThat(f.getTimestamp(f.fieldIndex("last_seen")).toInstant().toString()).isEqualTo("2024-05-06T12:00:00Z");
  }

  @Test
  void presenceLeavesOutCellHoursWithFewerThanKDevices() throws Exception {
    GeolakeConfig config = config(data, "guard.max-reject-share=1.0", "features.presence.k=10");
    LakehouseCatalog catalog = catalog(config);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 10; i++) { // k devices in one cell at 10h: kept
      lines.add(String.format("a%d,idfa,19.40,-99.10,10,2024-05-06T10:%02d:00Z", i, 5 + i));
    }
    lines.add("a0,idfa,19.40,-99.10,10,2024-05-06T10:30:00Z");
    for (int i = 0; i < 9; i++) { // k - 1 devices in another cell at 11h: left out
      lines.add(String.format("b%d,idfa,19.50,-99.20,10,2024-05-06T11:%02d:00Z", i, 5 + i));
    }
    new Landing(data.resolve("landing")).csv(START, "part-0.csv", lines.toArray(String[]::new));

    RunReport report = new DailyRun(catalog, config, RunListener.NONE).run(START);

    assertThat(report.features().presenceRows()).isEqualTo(1);
    List<Row> rows = sql("SELECT CAST(hour_start AS STRING), h3_cell, devices, pings FROM %s", catalog.qualified(Tables.CELL_HOURLY_PRESENCE));
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).getString(0)).isEqualTo("2024-05-06 10:00:00");
    assertThat(rows.get(0).getString(1)).isEqualTo(com.uber.h3core.H3Core.newInstance().latLngToCellAddress(19.40, -99.10, 8));
    assertThat(rows.get(0).getLong(2)).isEqualTo(10);
    assertThat(rows.get(0).getLong(3)).isEqualTo(11);
  }

  /** Stay points and trips in the lake are exactly what one detection over each whole track gives. */
  private static void assertStaysAndTripsEqualADetectionOverTheWholeHistory(
      GeolakeConfig config, LakehouseCatalog catalog, int minStays, int minTrips) {
    List<String> expected = new ArrayList<>();
    List<String> expectedTrips = new ArrayList<>();
    Map<String, List<TrackPoint>> tracks = new LinkedHashMap<>();
    for (Row r : sql("SELECT device_id, event_ts, latitude, longitude FROM %s ORDER BY device_id, event_ts", catalog.qualified(Tables.STAGING_PINGS))) {
      tracks.computeIfAbsent(r.getString(0), k -> new ArrayList<>())
          .add(new TrackPoint(r.getTimestamp(1).getTime() / 1000.0, r.getDouble(2), r.getDouble(3)));
    }
    GeolakeConfig.StayPoints settings = config.features().stayPoints();
    StayPointDetector detector = new StayPointDetector(settings.distanceMetres(), settings.time(), settings.gapDuration());
    byte[] key = config.features().pseudonymKey().getBytes(StandardCharsets.UTF_8);
    tracks.forEach(
        (device, track) -> {
          List<StayPoint> stays = detector.detect(track);
          for (StayPoint s : stays) {
            expected.add(line(Pseudonyms.of(key, device), (long) s.startedAt(), (long) s.finishedAt(), s.latitude(), s.longitude(), s.pings()));
          }
          for (Trip t : Trips.between(track, stays)) {
            expectedTrips.add(
                String.format("%s %d %d %d %.6f", Pseudonyms.of(key, device), (long) t.startedAt(), (long) t.finishedAt(), t.pings(), t.distanceMetres()));
          }
        });
    List<String> actual =
        sql("SELECT device, started_at, finished_at, latitude, longitude, pings FROM %s", catalog.qualified(Tables.STAY_POINTS)).stream()
            .map(r -> line(r.getString(0), r.getTimestamp(1).getTime() / 1000, r.getTimestamp(2).getTime() / 1000, r.getDouble(3), r.getDouble(4), r.getLong(5)))
            .toList();
    assertThat(expected).hasSizeGreaterThan(minStays);
    assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    List<String> actualTrips =
        sql("SELECT device, started_at, finished_at, pings, distance_m FROM %s", catalog.qualified(Tables.TRIPS)).stream()
            .map(r -> String.format("%s %d %d %d %.6f", r.getString(0), r.getTimestamp(1).getTime() / 1000, r.getTimestamp(2).getTime() / 1000, r.getLong(3), r.getDouble(4)))
            .toList();
    assertThat(expectedTrips).hasSizeGreaterThan(minTrips);
    assertThat(actualTrips).containsExactlyInAnyOrderElementsOf(expectedTrips);
  }

  private static String line(String device, long start, long end, double lat, double lon, long pings) {
    return String.format("%s %d %d %.9f %.9f %d", device, start, end, lat, lon, pings);
  }
}
