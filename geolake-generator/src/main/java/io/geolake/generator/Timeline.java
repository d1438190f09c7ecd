package io.geolake.generator;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A device's day as a sequence of stays and trips, in local time (Mexico City, UTC-6 all year
 * since 2022). Deterministic per (seed, device, local date), so any UTC window can be sampled
 * without generating the days around it.
 */
final class Timeline {
  static final ZoneOffset LOCAL = ZoneOffset.ofHours(-6);

  /** A stay at a place or a straight trip between two places. */
  record Segment(long start, long end, GeoPoint from, GeoPoint to) {
    boolean isTrip() {
      return !from.equals(to);
    }

    GeoPoint positionAt(long epochSecond) {
      if (!isTrip()) {
        return from;
      }
      double fraction = (epochSecond - start) / (double) Math.max(1, end - start);
      return from.towards(to, Math.min(1, Math.max(0, fraction)));
    }
  }

  private final List<Segment> segments;

  private Timeline(List<Segment> segments) {
    this.segments = segments;
  }

  List<Segment> segments() {
    return segments;
  }

  static Timeline of(long seed, Device device, LocalDate localDay) {
    SplittableRandom rng =
        new SplittableRandom(seed ^ (device.index() * 0x9E3779B97F4A7C15L) ^ localDay.toEpochDay());
    long midnight = localDay.atStartOfDay().toEpochSecond(LOCAL);
    long endOfDay = midnight + 86_400;
    Builder day = new Builder(midnight, device.home());
    boolean weekend =
        localDay.getDayOfWeek() == DayOfWeek.SATURDAY || localDay.getDayOfWeek() == DayOfWeek.SUNDAY;
    if (!weekend && device.work() != null) {
      day.stayUntil(midnight + hours(7.0 + rng.nextDouble() * 2.0));
      day.travelTo(device.work(), rng);
      day.stayUntil(midnight + hours(17.0 + rng.nextDouble() * 2.5));
      if (rng.nextDouble() < (device.regular() ? 0.7 : 0.35)) {
        day.travelTo(favourite(device, rng), rng);
        day.stayFor(hours(0.75 + rng.nextDouble() * 1.25));
      }
    } else {
      day.stayUntil(midnight + hours(10.0 + rng.nextDouble() * 2.0));
      if (rng.nextDouble() < (device.regular() ? 0.9 : 0.6)) {
        day.travelTo(favourite(device, rng), rng);
        day.stayFor(hours(1.0 + rng.nextDouble() * 2.0));
      }
    }
    if (rng.nextDouble() < device.visitRate()) {
      // Regulars go to their own mall four times in five; anyone else picks one at random.
      PlaceOfInterest mall =
          rng.nextDouble() < 0.8 ? device.mall() : City.PLACES_OF_INTEREST.get(rng.nextInt(City.PLACES_OF_INTEREST.size()));
      day.travelTo(mall.centre(), rng);
      day.stayFor(hours(0.75 + rng.nextDouble() * 1.25));
    }
    day.travelTo(device.home(), rng);
    day.stayUntil(endOfDay);
    return new Timeline(day.segments);
  }

  GeoPoint positionAt(long epochSecond) {
    for (Segment s : segments) {
      if (epochSecond < s.end()) {
        return s.positionAt(epochSecond);
      }
    }
    return segments.get(segments.size() - 1).to();
  }

  boolean isMovingAt(long epochSecond) {
    for (Segment s : segments) {
      if (epochSecond < s.end()) {
        return s.isTrip();
      }
    }
    return false;
  }

  private static GeoPoint favourite(Device device, SplittableRandom rng) {
    return device.favourites().get(rng.nextInt(device.favourites().size()));
  }

  private static long hours(double h) {
    return Math.round(h * 3600);
  }

  private static final class Builder {
    private final List<Segment> segments = new ArrayList<>();
    private long clock;
    private GeoPoint at;

    Builder(long start, GeoPoint at) {
      this.clock = start;
      this.at = at;
    }

    void stayUntil(long time) {
      if (time > clock) {
        segments.add(new Segment(clock, time, at, at));
        clock = time;
      }
    }

    void stayFor(long seconds) {
      stayUntil(clock + seconds);
    }

    void travelTo(GeoPoint destination, SplittableRandom rng) {
      if (destination.equals(at)) {
        return;
      }
      double metresPerSecond = (18 + rng.nextDouble() * 22) / 3.6; // 18-40 km/h in city traffic
      long duration = Math.max(60, Math.round(at.metresTo(destination) / metresPerSecond));
      segments.add(new Segment(clock, clock + duration, at, destination));
      clock += duration;
      at = destination;
    }
  }
}
