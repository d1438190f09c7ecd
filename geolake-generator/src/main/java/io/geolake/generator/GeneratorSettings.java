package io.geolake.generator;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;

/**
 * What to generate: how many devices over which days, in which file formats, with which fault
 * rates. The same settings always produce byte-identical deliveries.
 *
 * @param filesPerDay part files per delivery; formats are assigned to parts round-robin
 */
public record GeneratorSettings(
    int devices,
    int days,
    LocalDate start,
    long seed,
    String source,
    List<FileFormat> formats,
    int filesPerDay,
    FaultRates faults) {

  public GeneratorSettings {
    requireNonNull(start, "start is null");
    requireNonNull(source, "source is null");
    formats = List.copyOf(formats);
    requireNonNull(faults, "faults is null");
    if (devices < 1) {
      throw new IllegalArgumentException("Invalid devices: " + devices + " (expected >= 1)");
    }
    if (days < 1) {
      throw new IllegalArgumentException("Invalid days: " + days + " (expected >= 1)");
    }
    if (formats.isEmpty()) {
      throw new IllegalArgumentException("Invalid formats: expected at least one");
    }
    if (filesPerDay < 1) {
      throw new IllegalArgumentException("Invalid files per day: " + filesPerDay + " (expected >= 1)");
    }
  }

  public static GeneratorSettings defaults(int devices, int days, LocalDate start, long seed) {
    return new GeneratorSettings(
        devices, days, start, seed, "pings", List.of(FileFormat.values()), 3, FaultRates.DEFAULT);
  }

  public GeneratorSettings withFaults(FaultRates faults) {
    return new GeneratorSettings(devices, days, start, seed, source, formats, filesPerDay, faults);
  }

  public GeneratorSettings withFormats(List<FileFormat> formats, int filesPerDay) {
    return new GeneratorSettings(devices, days, start, seed, source, formats, filesPerDay, faults);
  }

  public List<LocalDate> dates() {
    return start.datesUntil(start.plusDays(days)).toList();
  }
}
