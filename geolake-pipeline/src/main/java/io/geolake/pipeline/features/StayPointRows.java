package io.geolake.pipeline.features;

import io.geolake.core.mobility.StayPoint;
import io.geolake.core.mobility.StayPointDetector;
import io.geolake.core.mobility.TrackPoint;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Runs the stay-point detector over one device's pings (executor side). */
final class StayPointRows implements FlatMapGroupsFunction<String, Row, Row> {
  private final double distanceMetres;
  private final Duration time;
  private final Duration gap;

  StayPointRows(double distanceMetres, Duration time, Duration gap) {
    this.distanceMetres = distanceMetres;
    this.time = time;
    this.gap = gap;
  }

  /** Input rows: (device, event_ts, latitude, longitude). */
  @Override
  public Iterator<Row> call(String device, Iterator<Row> pings) {
    List<TrackPoint> track = new ArrayList<>();
    while (pings.hasNext()) {
      Row r = pings.next();
      Timestamp ts = r.getTimestamp(1);
      track.add(new TrackPoint(ts.getTime() / 1000.0 + (ts.getNanos() % 1_000_000) / 1e9, r.getDouble(2), r.getDouble(3)));
    }
    track.sort(Comparator.comparingDouble(TrackPoint::epochSecond).thenComparingDouble(TrackPoint::latitude).thenComparingDouble(TrackPoint::longitude));
    List<Row> rows = new ArrayList<>();
    for (StayPoint s : new StayPointDetector(distanceMetres, time, gap).detect(track)) {
      rows.add(
          RowFactory.create(
              device, toTimestamp(s.startedAt()), toTimestamp(s.finishedAt()), s.latitude(), s.longitude(), (long) s.pings(), s.durationSeconds()));
    }
    return rows.iterator();
  }

  private static Timestamp toTimestamp(double epochSecond) {
    long micros = Math.round(epochSecond * 1e6);
    Timestamp t = new Timestamp(Math.floorDiv(micros, 1000));
    t.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
    return t;
  }
}
