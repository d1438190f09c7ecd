package io.geolake.core.rules;

/** Why a delivered file or line could not become a raw row. Codes are stable: alerts key on them. */
public enum RejectReason {
  UNREADABLE_FILE("unreadable_file", "The file could not be read to the end (corrupt or truncated compression, bad Parquet footer); rows read before the error are kept."),
  UNSUPPORTED_FORMAT("unsupported_format", "The file extension names no supported format."),
  MISSING_COLUMNS("missing_columns", "The file lacks a required column (CSV header or Parquet schema); the whole file is rejected."),
  INVALID_ENCODING("invalid_encoding", "The line is not valid UTF-8 or contains NUL bytes."),
  MALFORMED_CSV("malformed_csv", "The CSV line has a different number of fields than the header."),
  MALFORMED_JSON("malformed_json", "The line is not a JSON object.");

  private final String code;
  private final String description;

  RejectReason(String code, String description) {
    this.code = code;
    this.description = description;
  }

  public String code() {
    return code;
  }

  public String description() {
    return description;
  }
}
