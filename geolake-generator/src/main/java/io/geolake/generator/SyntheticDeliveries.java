package io.geolake.generator;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Writes a realistic synthetic week (or any span) of deliveries under {@code
 * <out>/<source>/dt=YYYY-MM-DD/}: devices living and working in Mexico City, their daily routines
 * sampled densely or sparsely, with faults injected at the configured rates. Deterministic for a
 * seed; each device is generated and written in turn, so memory does not grow with the data.
 */
public final class SyntheticDeliveries {
  private final GeneratorSettings settings;
  private final List<Device> devices;
  private final TrackSampler sampler;

  public SyntheticDeliveries(GeneratorSettings settings) {
    this.settings = requireNonNull(settings, "settings is null");
    this.devices = new ArrayList<>(settings.devices());
    for (int i = 0; i < settings.devices(); i++) {
      devices.add(Device.create(settings.seed(), i, City.MEXICO_CITY));
    }
    this.sampler = new TrackSampler(settings.seed());
  }

  /** Generates every day in order; returns one summary per delivery. */
  public List<DeliverySummary> writeTo(Path landing, Consumer<DeliverySummary> progress) {
    Map<LocalDate, List<Ping>> lateByTarget = new HashMap<>();
    Map<Ping, Integer> lateDays = new HashMap<>();
    List<Ping> redeliverTomorrow = List.of();
    List<Ping> correctTomorrow = List.of();
    List<DeliverySummary> summaries = new ArrayList<>();
    LocalDate last = settings.start().plusDays(settings.days() - 1);
    for (LocalDate date : settings.dates()) {
      Path dir = landing.resolve(settings.source()).resolve("dt=" + date);
      List<Ping> redeliverNext = new ArrayList<>();
      List<Ping> correctNext = new ArrayList<>();
      DeliverySummary summary;
      try {
        summary =
            writeDay(
                date,
                dir,
                last,
                lateByTarget,
                lateDays,
                new Carried(redeliverTomorrow, correctTomorrow),
                new Carried(redeliverNext, correctNext));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write delivery " + dir + ": " + e.getMessage(), e);
      }
      redeliverTomorrow = redeliverNext;
      correctTomorrow = correctNext;
      summaries.add(summary);
      progress.accept(summary);
    }
    return summaries;
  }

  private DeliverySummary writeDay(
      LocalDate date,
      Path dir,
      LocalDate last,
      Map<LocalDate, List<Ping>> lateByTarget,
      Map<Ping, Integer> lateDays,
      Carried fromYesterday,
      Carried forTomorrow)
      throws IOException {
    List<Ping> redeliveries = fromYesterday.redelivered();
    List<Ping> corrections = fromYesterday.corrected();
    List<Ping> redeliverNext = forTomorrow.redelivered();
    List<Ping> correctNext = forTomorrow.corrected();
    clear(dir);
    Files.createDirectories(dir);
    FaultRates rates = settings.faults();
    Map<Fault, Long> counts = DeliverySummary.emptyCounts();
    Map<Integer, Long> lateCounts = new TreeMap<>();
    List<PartWriter> parts = new ArrayList<>();
    List<FileFormat> partFormats = new ArrayList<>();
    for (int p = 0; p < settings.filesPerDay(); p++) {
      FileFormat format = settings.formats().get(p % settings.formats().size());
      partFormats.add(format);
      parts.add(PartWriter.open(format, dir.resolve(String.format("part-%05d.%s", p, format.extension()))));
    }
    SplittableRandom rng = new SplittableRandom(settings.seed() * 7919 + date.toEpochDay());
    try {
      for (Device device : devices) {
        List<Ping> track = sampler.sample(device, date);
        for (int i = 0; i < track.size(); i++) {
          Ping ping = track.get(i);
          if (rng.nextDouble() < rates.late()) {
            int daysLate = 1 + rng.nextInt(6);
            LocalDate target = date.plusDays(daysLate);
            if (!target.isAfter(last)) {
              lateByTarget.computeIfAbsent(target, d -> new ArrayList<>()).add(ping);
              lateDays.put(ping, daysLate);
              continue;
            }
          }
          int part = rng.nextInt(parts.size());
          Fault fault = drawFault(rng, rates, partFormats.get(part), device, track, i);
          ping = inject(fault, ping, rng, date);
          parts.get(part).write(ping);
          if (fault != null) {
            counts.merge(fault, 1L, Long::sum);
            continue;
          }
          if (rng.nextDouble() < rates.exactDuplicate()) {
            parts.get(rng.nextInt(parts.size())).write(ping);
            counts.merge(Fault.EXACT_DUPLICATE, 1L, Long::sum);
          } else if (rng.nextDouble() < rates.keyDuplicate()) {
            // Same device and time, another accuracy: the SDK reported the fix twice.
            parts.get(rng.nextInt(parts.size())).write(ping.withAccuracy(reAccuracy(ping, rng)));
            counts.merge(Fault.KEY_DUPLICATE, 1L, Long::sum);
          }
          double redeliver = rng.nextDouble();
          if (redeliver < rates.redelivered()) {
            redeliverNext.add(ping);
          } else if (redeliver < rates.redelivered() + rates.corrected()) {
            correctNext.add(ping.withAccuracy(reAccuracy(ping, rng)));
          }
        }
      }
      for (Ping ping : lateByTarget.getOrDefault(date, List.of())) {
        parts.get(rng.nextInt(parts.size())).write(ping);
        counts.merge(Fault.LATE, 1L, Long::sum);
        lateCounts.merge(lateDays.remove(ping), 1L, Long::sum);
      }
      lateByTarget.remove(date);
      for (Ping ping : redeliveries) {
        parts.get(rng.nextInt(parts.size())).write(ping);
        counts.merge(Fault.REDELIVERED, 1L, Long::sum);
      }
      for (Ping ping : corrections) {
        parts.get(rng.nextInt(parts.size())).write(ping);
        counts.merge(Fault.CORRECTED, 1L, Long::sum);
      }
    } finally {
      for (PartWriter part : parts) {
        part.close();
      }
    }
    Files.writeString(dir.resolve("_SUCCESS"), "");
    long rows = parts.stream().mapToLong(PartWriter::rows).sum();
    return new DeliverySummary(date, parts.size(), rows, counts, lateCounts);
  }

  /** Rows of one delivery that the next delivery repeats, as they were or corrected. */
  private record Carried(List<Ping> redelivered, List<Ping> corrected) {}

  private static Double reAccuracy(Ping ping, SplittableRandom rng) {
    double base = ping.accuracy() == null ? 20 : ping.accuracy();
    return Math.round((base + 1 + rng.nextDouble() * 20) * 10) / 10.0;
  }

  private static Fault drawFault(
      SplittableRandom rng, FaultRates rates, FileFormat format, Device device, List<Ping> track, int i) {
    double u = rng.nextDouble();
    double[] thresholds = {
      rates.malformed(),
      rates.wrongType(),
      rates.outOfRange(),
      rates.nullIsland(),
      rates.future(),
      rates.teleport(),
      rates.missingAccuracy(),
      rates.coarseFix()
    };
    Fault[] faults = {
      Fault.MALFORMED,
      Fault.WRONG_TYPE,
      Fault.OUT_OF_RANGE,
      Fault.NULL_ISLAND,
      Fault.FUTURE,
      Fault.TELEPORT,
      Fault.MISSING_ACCURACY,
      Fault.COARSE_FIX
    };
    double cumulative = 0;
    for (int k = 0; k < faults.length; k++) {
      cumulative += thresholds[k];
      if (u < cumulative) {
        Fault fault = faults[k];
        if ((fault == Fault.MALFORMED || fault == Fault.WRONG_TYPE) && !format.isText()) {
          return null;
        }
        // A teleport is only recognisable between two close neighbours of a dense track.
        if (fault == Fault.TELEPORT
            && !(i > 0
                && i < track.size() - 1
                && track.get(i + 1).epochSecond() - track.get(i - 1).epochSecond() <= 1200)) {
          return null;
        }
        return fault;
      }
    }
    return null;
  }

  private static Ping inject(Fault fault, Ping ping, SplittableRandom rng, LocalDate date) {
    if (fault == null) {
      return ping;
    }
    return switch (fault) {
      case MALFORMED -> ping.asMalformed();
      case WRONG_TYPE -> ping.withLatitudeText("north");
      case OUT_OF_RANGE -> ping.at(90.5 + rng.nextDouble() * 30, ping.longitude());
      case NULL_ISLAND -> ping.at(0.0, 0.0);
      case FUTURE ->
          ping.withEpochSecond(
              date.plusDays(2 + rng.nextInt(3)).atStartOfDay().toEpochSecond(ZoneOffset.UTC)
                  + rng.nextInt(86_400));
      case TELEPORT -> ping.at(ping.latitude() + 5.0, ping.longitude());
      case MISSING_ACCURACY -> ping.withAccuracy(null);
      case COARSE_FIX -> ping.withAccuracy(600.0 + Math.round(rng.nextDouble() * 2400));
      default -> throw new IllegalStateException("Not an injected row fault: " + fault);
    };
  }

  private static void clear(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.delete(f);
      }
    }
  }
}
