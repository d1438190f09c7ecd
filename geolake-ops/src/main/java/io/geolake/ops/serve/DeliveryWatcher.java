package io.geolake.ops.serve;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;
import io.geolake.pipeline.run.RunRecord;
import io.geolake.pipeline.run.RunStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Finds deliveries that are complete and not yet run: a date whose dt=D folders (one per source
 * that delivered) each hold a {@code _SUCCESS} marker or have had no file change for
 * {@code serve.stable-for}, and which has no run that started after the delivery last changed
 * (so a re-delivery runs again, and a failed run is not retried in a loop: it waits for a fix).
 * Works on any Hadoop file system (local, s3a://).
 */
public final class DeliveryWatcher {
  static final String SUCCESS_MARKER = "_SUCCESS";

  /** What the watcher knows of one date's delivery. */
  public record Delivery(LocalDate date, boolean complete, Instant lastChange, String why) {}

  private final GeolakeConfig config;
  private final Locations locations;
  private final RunStore store;
  private final Configuration hadoop;
  private final Clock clock;

  public DeliveryWatcher(GeolakeConfig config, RunStore store, Configuration hadoop, Clock clock) {
    this.config = config;
    this.locations = Locations.of(config);
    this.store = store;
    this.hadoop = hadoop;
    this.clock = clock;
  }

  /** Complete deliveries with no run since their last change, oldest first. */
  public List<LocalDate> datesToRun() {
    List<LocalDate> dates = new ArrayList<>();
    for (Delivery delivery : deliveries().values()) {
      if (delivery.complete() && !ranSince(delivery)) {
        dates.add(delivery.date());
      }
    }
    return dates;
  }

  /** Every date any source delivered, with its completeness. */
  public TreeMap<LocalDate, Delivery> deliveries() {
    TreeMap<LocalDate, List<Folder>> folders = new TreeMap<>();
    for (Map.Entry<String, GeolakeConfig.Source> source : config.sources().entrySet()) {
      URI root = locations.sourceRoot(source.getKey(), source.getValue());
      for (Folder folder : folders(root)) {
        folders.computeIfAbsent(folder.date(), d -> new ArrayList<>()).add(folder);
      }
    }
    TreeMap<LocalDate, Delivery> deliveries = new TreeMap<>();
    Instant stableBefore = clock.instant().minus(config.serve().stableFor());
    folders.forEach((date, list) -> {
      Instant lastChange = list.stream().map(Folder::lastChange).max(Instant::compareTo).orElse(Instant.EPOCH);
      boolean complete = list.stream().allMatch(f -> f.marked() || (f.files() > 0 && !f.lastChange().isAfter(stableBefore)));
      String why = list.stream().allMatch(Folder::marked) ? SUCCESS_MARKER + " present" : complete ? "files unchanged for " + config.serve().stableFor() : "still arriving";
      deliveries.put(date, new Delivery(date, complete, lastChange, why));
    });
    return deliveries;
  }

  private boolean ranSince(Delivery delivery) {
    Optional<RunRecord> latest = store.latest(delivery.date());
    return latest.isPresent() && !latest.get().startedAt().isBefore(delivery.lastChange());
  }

  private record Folder(LocalDate date, boolean marked, int files, Instant lastChange) {}

  private List<Folder> folders(URI root) {
    List<Folder> folders = new ArrayList<>();
    try {
      FileSystem fs = FileSystem.get(root, hadoop);
      Path rootPath = new Path(root);
      if (!fs.exists(rootPath)) {
        return folders;
      }
      for (FileStatus dir : fs.listStatus(rootPath)) {
        String name = dir.getPath().getName();
        if (!dir.isDirectory() || !name.startsWith("dt=")) {
          continue;
        }
        LocalDate date;
        try {
          date = LocalDate.parse(name.substring(3));
        } catch (DateTimeParseException e) {
          continue; // not a delivery folder
        }
        boolean marked = false;
        int files = 0;
        long lastChange = dir.getModificationTime();
        for (FileStatus file : fs.listStatus(dir.getPath())) {
          if (file.getPath().getName().equals(SUCCESS_MARKER)) {
            marked = true;
          } else if (file.isFile()) {
            files++;
          }
          lastChange = Math.max(lastChange, file.getModificationTime());
        }
        folders.add(new Folder(date, marked, files, Instant.ofEpochMilli(lastChange)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the landing folder " + root + ": " + e.getMessage(), e);
    }
    return folders;
  }
}
