package io.geolake.generator;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Delivery file formats the generator writes. */
public enum FileFormat {
  CSV_GZ("csv.gz"),
  JSONL("jsonl"),
  PARQUET("parquet");

  private final String extension;

  FileFormat(String extension) {
    this.extension = extension;
  }

  public String extension() {
    return extension;
  }

  /** Whether the format can carry text-level faults (malformed lines, wrongly typed values). */
  public boolean isText() {
    return this != PARQUET;
  }

  public static FileFormat parse(String name) {
    String n = name.trim().toLowerCase(java.util.Locale.ROOT);
    return Arrays.stream(values())
        .filter(f -> f.extension.equals(n) || f.name().equalsIgnoreCase(n.replace('.', '_')))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Invalid format '"
                        + name
                        + "': expected one of "
                        + Arrays.stream(values())
                            .map(FileFormat::extension)
                            .collect(Collectors.joining(", "))));
  }
}
