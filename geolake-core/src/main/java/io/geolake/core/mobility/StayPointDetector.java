package io.geolake.core.mobility;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Stay-point detection with exactly the semantics of trackintel's {@code
 * generate_staypoints(method="sliding")}, so results can be checked against that reference:
 *
 * <ul>
 *   <li>pings in time order, exact duplicates (same time and position) ignored;
 *   <li>a window opens at a ping; a later ping at least {@code distance} metres (haversine) from
 *       the window's first ping closes it, and the window becomes a stay point when at least
 *       {@code time} has passed from its first ping to the closing ping; either way the closing
 *       ping opens the next window;
 *   <li>a gap longer than {@code gap} between consecutive pings discards the open window (null: no
 *       limit);
 *   <li>the stay's position is the centroid of the unique coordinates of its pings before the
 *       closing one, computed as trackintel's angle centroid (per axis, the angle of the summed
 *       sines and cosines); it starts at its first ping and finishes at the closing ping.
 * </ul>
 *
 * <p>As in trackintel's default ({@code include_last=False}), a window still open at the end of
 * the track is not a stay point.
 */
public final class StayPointDetector {
  private final double distanceMetres;
  private final double timeSeconds;
  private final double gapSeconds;

  public StayPointDetector(double distanceMetres, Duration time, Duration gap) {
    if (distanceMetres <= 0) {
      throw new IllegalArgumentException("Invalid stay distance: " + distanceMetres + " (expected > 0 metres)");
    }
    this.distanceMetres = distanceMetres;
    this.timeSeconds = time.toMillis() / 1000.0;
    this.gapSeconds = gap == null ? Double.POSITIVE_INFINITY : gap.toMillis() / 1000.0;
  }

  /** @param track one device's pings sorted by time */
  public List<StayPoint> detect(List<TrackPoint> track) {
    List<TrackPoint> pings = withoutExactDuplicates(track);
    List<StayPoint> stays = new ArrayList<>();
    int start = 0;
    for (int current = 1; current < pings.size(); current++) {
      TrackPoint previous = pings.get(current - 1);
      TrackPoint here = pings.get(current);
      if (here.epochSecond() - previous.epochSecond() > gapSeconds) {
        start = current;
        continue;
      }
      TrackPoint first = pings.get(start);
      double distance = Haversine.metres(first.latitude(), first.longitude(), here.latitude(), here.longitude());
      if (distance >= distanceMetres) {
        if (here.epochSecond() - first.epochSecond() >= timeSeconds) {
          stays.add(stay(pings, start, current));
        }
        start = current;
      }
    }
    return stays;
  }

  private static StayPoint stay(List<TrackPoint> pings, int start, int end) {
    Set<List<Double>> unique = new LinkedHashSet<>();
    for (int i = start; i < end; i++) {
      unique.add(List.of(pings.get(i).longitude(), pings.get(i).latitude()));
    }
    double sinLon = 0, cosLon = 0, sinLat = 0, cosLat = 0;
    for (List<Double> p : unique) {
      double lon = Math.toRadians(p.get(0));
      double lat = Math.toRadians(p.get(1));
      sinLon += Math.sin(lon);
      cosLon += Math.cos(lon);
      sinLat += Math.sin(lat);
      cosLat += Math.cos(lat);
    }
    double longitude = Math.toDegrees(Math.atan2(sinLon, cosLon));
    double latitude = Math.toDegrees(Math.atan2(sinLat, cosLat));
    return new StayPoint(pings.get(start).epochSecond(), pings.get(end).epochSecond(), latitude, longitude, end - start);
  }

  private static List<TrackPoint> withoutExactDuplicates(List<TrackPoint> track) {
    List<TrackPoint> pings = new ArrayList<>(track.size());
    for (TrackPoint p : track) {
      if (!pings.isEmpty()) {
        TrackPoint last = pings.get(pings.size() - 1);
        if (p.epochSecond() < last.epochSecond()) {
          throw new IllegalArgumentException("Track not in time order at " + p.epochSecond());
        }
        if (p.equals(last)) {
          continue;
        }
      }
      pings.add(p);
    }
    return pings;
  }
}
