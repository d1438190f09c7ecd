package io.geolake.pipeline.testing;

import io.geolake.core.mobility.TrackPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Real GPS tracks: the GeoLife sample in the shared reference folder (Microsoft Research, via trackintel's tests). */
public final class GeoLife {
  private static final Path ROOT = Path.of("..", "..", "shared", "reference", "geolife_long");

  private GeoLife() {}

  /** A user's pings in time order; .plt files have 6 header lines, then lat,lon,0,alt,days,date,time (UTC). */
  public static List<TrackPoint> track(String user) throws IOException {
    Path folder = ROOT.resolve(user).resolve("Trajectory");
    if (!Files.isDirectory(folder)) {
      throw new IllegalStateException("GeoLife sample missing: " + folder.toAbsolutePath() + " (the shared reference folder)");
    }
    List<TrackPoint> points = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(6, lines.size())) {
          String[] f = line.split(",");
          double epoch = Instant.parse(f[5] + "T" + f[6] + "Z").getEpochSecond();
          points.add(new TrackPoint(epoch, Double.parseDouble(f[0]), Double.parseDouble(f[1])));
        }
      }
    }
    points.sort(Comparator.comparingDouble(TrackPoint::epochSecond));
    return points;
  }
}
