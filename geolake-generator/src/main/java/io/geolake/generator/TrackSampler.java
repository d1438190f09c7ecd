package io.geolake.generator;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Samples the pings a device reports during one UTC day from its local-time timelines. */
final class TrackSampler {
  private final long seed;

  TrackSampler(long seed) {
    this.seed = seed;
  }

  /** True pings of the device in [day 00:00Z, day+1 00:00Z), in time order, whole seconds. */
  List<Ping> sample(Device device, LocalDate utcDay) {
    SplittableRandom rng =
        new SplittableRandom((seed * 31 + device.index()) * 0x2545F4914F6CDD1DL + utcDay.toEpochDay());
    long start = utcDay.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    long end = start + 86_400;
    // The UTC day spans the evening of the previous local day and most of this one.
    Timeline previous = Timeline.of(seed, device, utcDay.minusDays(1));
    Timeline current = Timeline.of(seed, device, utcDay);
    long localMidnight = utcDay.atStartOfDay().toEpochSecond(Timeline.LOCAL);

    List<Ping> pings = new ArrayList<>();
    long t = start + (long) (rng.nextDouble() * 600);
    while (t < end) {
      Timeline timeline = t < localMidnight ? previous : current;
      boolean moving = timeline.isMovingAt(t);
      double accuracy = accuracy(rng, moving && device.dense());
      GeoPoint truth = timeline.positionAt(t);
      GeoPoint observed =
          truth.offsetMetres(
              City.gaussian(rng) * accuracy / 2, City.gaussian(rng) * accuracy / 2);
      pings.add(
          Ping.of(
              device,
              round6(observed.latitude()),
              round6(observed.longitude()),
              Math.round(accuracy * 10) / 10.0,
              t));
      t += nextGap(rng, device, moving, localHour(t));
    }
    return pings;
  }

  private static long nextGap(SplittableRandom rng, Device device, boolean moving, int localHour) {
    if (device.dense()) {
      return moving ? 5 + rng.nextInt(26) : 300 + rng.nextInt(601);
    }
    double perHour = localHour >= 7 && localHour < 23 ? 3.0 : 0.3;
    double gapSeconds = -Math.log(1.0 - rng.nextDouble()) * 3600 / perHour;
    return Math.max(1, Math.round(gapSeconds));
  }

  private static double accuracy(SplittableRandom rng, boolean navigating) {
    double median = navigating ? 8 : 15;
    return Math.min(300, median * Math.exp(0.6 * City.gaussian(rng)));
  }

  private static int localHour(long epochSecond) {
    return (int) Math.floorMod((epochSecond + Timeline.LOCAL.getTotalSeconds()) / 3600, 24);
  }

  static double round6(double degrees) {
    return Math.round(degrees * 1e6) / 1e6;
  }
}
