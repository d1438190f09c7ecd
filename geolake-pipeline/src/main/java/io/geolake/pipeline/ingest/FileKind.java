package io.geolake.pipeline.ingest;

import io.geolake.core.config.GeolakeConfig.SourceFormat;
import java.util.Locale;

/** How a delivered file is read, from the source's configured format or the file's extension. */
enum FileKind {
  CSV,
  JSON,
  PARQUET,
  UNSUPPORTED;

  /** Compression suffixes Hadoop's codec factory decompresses transparently. */
  private static final String[] COMPRESSION = {".gz", ".bz2", ".zst", ".deflate", ".snappy", ".lz4"};

  static FileKind of(String fileName, SourceFormat format) {
    switch (format) {
      case CSV:
        return CSV;
      case JSON:
        return JSON;
      case PARQUET:
        return PARQUET;
      default:
        break;
    }
    String name = fileName.toLowerCase(Locale.ROOT);
    for (String suffix : COMPRESSION) {
      if (name.endsWith(suffix)) {
        name = name.substring(0, name.length() - suffix.length());
        break;
      }
    }
    if (name.endsWith(".csv") || name.endsWith(".txt")) {
      return CSV;
    }
    if (name.endsWith(".json") || name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
      return JSON;
    }
    if (name.endsWith(".parquet")) {
      return PARQUET;
    }
    return UNSUPPORTED;
  }
}
