package io.geolake.pipeline.ingest;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Lists the files of each source's delivery for a date through Hadoop's FileSystem, so the same
 * code lists a local folder or an S3 prefix. Hidden entries ({@code .x}, {@code _x}, such as
 * {@code _SUCCESS} and in-progress files) are not data.
 */
final class DeliveryScanner {
  private final Configuration hadoop;

  DeliveryScanner(Configuration hadoop) {
    this.hadoop = hadoop;
  }

  /** A source's delivery folder for the date and whether it exists. */
  record SourceDelivery(String source, URI folder, boolean exists, List<DeliveryFile> files) {}

  List<SourceDelivery> scan(GeolakeConfig config, LocalDate date) {
    Locations locations = Locations.of(config);
    List<SourceDelivery> deliveries = new ArrayList<>();
    config
        .sources()
        .forEach(
            (name, source) -> {
              URI folder = Locations.child(locations.sourceRoot(name, source), "dt=" + date);
              deliveries.add(list(name, source, folder));
            });
    return deliveries;
  }

  private SourceDelivery list(String name, GeolakeConfig.Source source, URI folder) {
    Path root = new Path(folder);
    try {
      FileSystem fs = FileSystem.get(folder, hadoop);
      if (!fs.exists(root)) {
        return new SourceDelivery(name, folder, false, List.of());
      }
      List<DeliveryFile> files = new ArrayList<>();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        LocatedFileStatus status = it.next();
        String relative = root.toUri().relativize(status.getPath().toUri()).getPath();
        if (isHidden(relative)) {
          continue;
        }
        files.add(
            new DeliveryFile(
                name,
                status.getPath().toString(),
                FileKind.of(status.getPath().getName(), source.format()),
                status.getLen()));
      }
      files.sort(Comparator.comparing(DeliveryFile::uri));
      return new SourceDelivery(name, folder, true, List.copyOf(files));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot list delivery folder " + folder + ": " + e.getMessage(), e);
    }
  }

  private static boolean isHidden(String relativePath) {
    for (String part : relativePath.split("/")) {
      if (part.startsWith(".") || part.startsWith("_")) {
        return true;
      }
    }
    return false;
  }
}
