package io.geolake.pipeline.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.mobility.Haversine;
import io.geolake.core.mobility.RadiusOfGyration;
import io.geolake.core.mobility.StayPoint;
import io.geolake.core.mobility.TrackPoint;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.geolake.pipeline.testing.GeoLife;
import io.geolake.pipeline.testing.TableRows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import com.uber.h3core.H3Core;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profiles of one constructed week in Mexico City (UTC-6, no DST): home, work, shares, stay-based
 * radius of gyration and visits, each against a hand count or the core reference implementation.
 */
class TestDeviceProfiles extends BaseSparkTest {
  private static final ZoneOffset MEXICO_CITY = ZoneOffset.ofHours(-6);
  private static final LocalDate MONDAY = LocalDate.of(2024, 5, 6);
  private static final LocalDate SUNDAY = MONDAY.plusDays(6);
  private static final double[] HOME = {19.40, -99.15};
  private static final double[] FRIEND = {19.35, -99.10};
  private static final double[] WORK = {19.43, -99.19};
  private static final double[] CAFE = {19.42, -99.17};

  @TempDir Path data;

  @Test
  void homeAndWorkAreWhereNightsAndWorkingHoursAreSpentAndOnlyKnownStaysCount() {
    GeolakeConfig config = config(data, "features.rolling-days=7");
    LakehouseCatalog catalog = catalog(config);
    catalog.ensureTables(config);
    String device = Pseudonyms.of(config.features().pseudonymKey().getBytes(StandardCharsets.UTF_8), "d1");

    List<StayPoint> known = new ArrayList<>();
    for (int day = 0; day < 5; day++) { // Monday to Friday
      LocalDate date = MONDAY.plusDays(day);
      known.add(stay(date.atTime(9, 0), date.atTime(17, 0), WORK)); // 8 h of working time each
      double[] night = day == 2 ? FRIEND : HOME; // Wednesday night at a friend's
      known.add(stay(date.atTime(20, 0), date.plusDays(1).atTime(8, 0), night)); // 22-06: 8 night hours
    }
    known.add(stay(MONDAY.plusDays(2).atTime(17, 0), MONDAY.plusDays(2).atTime(18, 30), CAFE)); // 1 working hour
    // Saturday 20:00 to Monday 08:00 local ends after the window: unknown on Sunday, must not count.
    StayPoint unknownYet = stay(MONDAY.plusDays(5).atTime(20, 0), MONDAY.plusDays(7).atTime(8, 0), FRIEND);
    List<Map<String, Object>> stayRows = new ArrayList<>();
    for (StayPoint s : append(known, unknownYet)) {
      stayRows.add(
          Map.of("device", device, "started_at", ts(s.startedAt()), "finished_at", ts(s.finishedAt()), "latitude", s.latitude(),
              "longitude", s.longitude(), "pings", (long) s.pings(), "duration_s", s.durationSeconds()));
    }
    TableRows.append(catalog, Tables.STAY_POINTS, stayRows);
    // A ping at each stay's start (the profile's base), and a visit known by Sunday and one after it.
    List<TrackPoint> pings = new ArrayList<>();
    List<Map<String, Object>> pingRows = new ArrayList<>();
    for (StayPoint s : known) {
      pings.add(new TrackPoint(s.startedAt(), s.latitude(), s.longitude()));
      pingRows.add(staged("d1", s.startedAt(), s.latitude(), s.longitude()));
    }
    TableRows.append(catalog, Tables.STAGING_PINGS, pingRows);
    StayPoint cafe = known.get(known.size() - 1);
    TableRows.append(
        catalog,
        Tables.VISITS,
        List.of(visit(device, cafe), visit(device, unknownYet)));

    // Sunday's run finds the day partials empty (a lake older than them) and fills in the week before first.
    DayPartials partials = new DayPartials(catalog, config);
    partials.bootstrap(MONDAY, SUNDAY);
    partials.recompute(SUNDAY, SUNDAY);
    new DeviceProfiles(catalog, config).recompute(SUNDAY, SUNDAY);
    assertThat(spark.table(catalog.qualified(Tables.DEVICE_DAY_PARTIALS)).count()).isEqualTo(6); // Monday to Saturday
    Row profile = spark.table(catalog.qualified(Tables.DEVICE_PROFILES)).collectAsList().get(0);
    Map<String, Object> p = new HashMap<>();
    for (String field : profile.schema().fieldNames()) {
      p.put(field, profile.getAs(field));
    }

    assertThat(p.get("feature_date")).isEqualTo(Date.valueOf(SUNDAY));
    assertThat(p.get("device")).isEqualTo(device);
    assertThat(p.get("window_days")).isEqualTo(7L);
    assertThat(p.get("pings")).isEqualTo((long) known.size());
    assertThat(p.get("stay_points")).isEqualTo((long) known.size());
    // Home: 4 of the 5 nights (32 of 40 night hours) at home; work: 40 of 41 working hours.
    assertThat((double) p.get("home_latitude")).isCloseTo(HOME[0], within(1e-9));
    assertThat((double) p.get("home_longitude")).isCloseTo(HOME[1], within(1e-9));
    assertThat((double) p.get("home_share")).isCloseTo(32.0 / 40, within(1e-9));
    assertThat((double) p.get("work_latitude")).isCloseTo(WORK[0], within(1e-9));
    assertThat((double) p.get("work_share")).isCloseTo(40.0 / 41, within(1e-9));
    assertThat((double) p.get("home_work_distance_m"))
        .isCloseTo(Haversine.metres(HOME[0], HOME[1], WORK[0], WORK[1]), within(1e-6));
    assertThat((double) p.get("stay_radius_of_gyration_m"))
        .isCloseTo(RadiusOfGyration.ofStayPointsByDuration(known), within(1e-6));
    assertThat((double) p.get("radius_of_gyration_m")).isCloseTo(RadiusOfGyration.ofPings(pings), withinPercentage(0.01));
    assertThat(p.get("visits")).isEqualTo(1L);
    assertThat((double) p.get("visit_dwell_s")).isEqualTo(5400.0);
    assertThat(p.get("days_since_last_visit")).isEqualTo(3L); // Wednesday 18:30 local = Thursday 00:30 UTC
    assertThat(p.get("active_days")).isEqualTo(6L); // UTC days with a ping: Monday to Saturday
  }

  /**
   * Real movement: two GeoLife users over two days. The window's ping features, combined from one
   * partial row per device and day, against the reference over the window's pings themselves.
   */
  @Test
  void pingFeaturesCombinedFromDayPartialsMatchTheWindowsPings() throws Exception {
    GeolakeConfig config = config(data, "features.rolling-days=7");
    LakehouseCatalog catalog = catalog(config);
    catalog.ensureTables(config);
    byte[] key = config.features().pseudonymKey().getBytes(StandardCharsets.UTF_8);
    Map<String, List<TrackPoint>> tracks = new HashMap<>();
    List<Map<String, Object>> pingRows = new ArrayList<>();
    for (String user : List.of("000", "001")) {
      List<TrackPoint> track = GeoLife.track(user);
      tracks.put(Pseudonyms.of(key, user), track);
      for (TrackPoint t : track) {
        pingRows.add(staged(user, t.epochSecond(), t.latitude(), t.longitude()));
      }
    }
    TableRows.append(catalog, Tables.STAGING_PINGS, pingRows);
    LocalDate first = LocalDate.of(2008, 10, 23);
    LocalDate last = first.plusDays(1);
    new DayPartials(catalog, config).recompute(first, last);
    new DeviceProfiles(catalog, config).recompute(first, last);

    H3Core h3 = H3Core.newInstance();
    int compared = 0;
    for (Row r : spark.table(catalog.qualified(Tables.DEVICE_PROFILES)).collectAsList()) {
      LocalDate date = r.getDate(r.fieldIndex("feature_date")).toLocalDate();
      long end = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
      List<TrackPoint> window = tracks.get(r.getString(r.fieldIndex("device"))).stream().filter(t -> t.epochSecond() < end).toList();
      long days = window.stream().map(t -> (long) t.epochSecond() / 86400).distinct().count();
      long cells = window.stream().map(t -> h3.latLngToCell(t.latitude(), t.longitude(), config.features().h3Resolution())).distinct().count();
      assertThat(r.getLong(r.fieldIndex("pings"))).isEqualTo(window.size());
      assertThat(r.getLong(r.fieldIndex("active_days"))).isEqualTo(days);
      assertThat(r.getLong(r.fieldIndex("distinct_h3_cells"))).isEqualTo(cells);
      double expected = RadiusOfGyration.ofPings(window);
      assertThat(expected).isGreaterThan(1000); // real movement across Beijing, not a point
      assertThat(r.getDouble(r.fieldIndex("radius_of_gyration_m"))).as(date + " " + r.getString(1)).isCloseTo(expected, withinPercentage(0.01));
      compared++;
    }
    assertThat(compared).isEqualTo(4); // 2 users x 2 feature dates
  }

  private static List<StayPoint> append(List<StayPoint> stays, StayPoint more) {
    List<StayPoint> all = new ArrayList<>(stays);
    all.add(more);
    return all;
  }

  private static StayPoint stay(LocalDateTime localStart, LocalDateTime localEnd, double[] at) {
    return new StayPoint(localStart.toEpochSecond(MEXICO_CITY), localEnd.toEpochSecond(MEXICO_CITY), at[0], at[1], 10);
  }

  private static Timestamp ts(double epochSecond) {
    return new Timestamp((long) (epochSecond * 1000));
  }

  private static Map<String, Object> staged(String deviceId, double epochSecond, double latitude, double longitude) {
    Map<String, Object> row = new HashMap<>();
    row.put("device_id", deviceId);
    row.put("event_ts", ts(epochSecond));
    row.put("latitude", latitude);
    row.put("longitude", longitude);
    row.put("_source", "pings");
    row.put("_source_file", "file:/test");
    row.put("_row_number", 1L);
    row.put("_ingest_date", Date.valueOf(SUNDAY));
    row.put("_load_id", "test");
    return row;
  }

  private static Map<String, Object> visit(String device, StayPoint s) {
    return Map.of(
        "device", device, "place_id", "p", "place_name", "P", "arrived_at", ts(s.startedAt()), "departed_at", ts(s.finishedAt()),
        "dwell_s", s.durationSeconds(), "latitude", s.latitude(), "longitude", s.longitude());
  }
}
