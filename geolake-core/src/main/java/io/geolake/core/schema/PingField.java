package io.geolake.core.schema;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The canonical fields of a location ping, as named in geolake tables. Vendor column names are
 * mapped onto these in each source's {@code fields} config.
 */
public enum PingField {
  DEVICE_ID("device_id", true, ColumnType.STRING, "Mobile advertising id (IDFA/AAID); personal data.", true),
  ID_TYPE("id_type", false, ColumnType.STRING, "idfa, aaid or another id kind."),
  LATITUDE("latitude", true, ColumnType.DOUBLE, "WGS84 latitude, degrees."),
  LONGITUDE("longitude", true, ColumnType.DOUBLE, "WGS84 longitude, degrees."),
  HORIZONTAL_ACCURACY(
      "horizontal_accuracy", false, ColumnType.DOUBLE, "Horizontal accuracy radius, metres."),
  EVENT_TS("event_ts", true, ColumnType.TIMESTAMP, "Event time, UTC."),
  IP_ADDRESS("ip_address", false, ColumnType.STRING, "IP address of the device, if delivered.", true),
  PLATFORM("platform", false, ColumnType.STRING, "ios / android, if delivered."),
  OS_VERSION("os_version", false, ColumnType.STRING, "Operating system version, if delivered."),
  APP_ID("app_id", false, ColumnType.STRING, "Publisher app id, if delivered."),
  COUNTRY("country", false, ColumnType.STRING, "Country code, if delivered.");

  private final String column;
  private final boolean required;
  private final ColumnType stagedType;
  private final String doc;
  private final boolean personal;

  PingField(String column, boolean required, ColumnType stagedType, String doc) {
    this(column, required, stagedType, doc, false);
  }

  PingField(String column, boolean required, ColumnType stagedType, String doc, boolean personal) {
    this.column = column;
    this.required = required;
    this.stagedType = stagedType;
    this.doc = doc;
    this.personal = personal;
  }

  /** Column name in raw and staging tables. */
  public String column() {
    return column;
  }

  /** Whether every delivered file must carry this field. */
  public boolean required() {
    return required;
  }

  /** Type of the field once validated into staging (raw keeps every field as delivered text). */
  public ColumnType stagedType() {
    return stagedType;
  }

  public String doc() {
    return doc;
  }

  /** Whether the field identifies a person in clear; the consumption layer pseudonymizes it. */
  public boolean personal() {
    return personal;
  }

  public static Optional<PingField> byColumn(String column) {
    return Arrays.stream(values()).filter(f -> f.column.equals(column)).findFirst();
  }

  public static List<String> columns() {
    return Arrays.stream(values()).map(PingField::column).toList();
  }
}
