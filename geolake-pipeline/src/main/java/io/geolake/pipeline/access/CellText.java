package io.geolake.pipeline.access;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import scala.Tuple2;
import scala.collection.JavaConverters;

/**
 * A result value as users' SQL shows it, in the CLI and the console: arrays, maps and structs
 * written the way Spark casts them to text ({@code [1, 2]}, {@code {k -> v}}, {@code {1, b}}),
 * nested ones too, not as the JVM objects that hold them ("WrappedArray(1, 2)", "[1,b]"); and
 * timestamps in UTC, the sessions' time zone, as {@code date(ts)} and {@code hour(ts)} read them
 * ({@code java.sql.Timestamp} prints in the computer's zone, hours off for a user outside UTC).
 */
public final class CellText {
  private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();
  /** Spark's text of a timestamp: seconds always, the fraction only as far as it is not zero. */
  private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd HH:mm:ss")
      .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
      .toFormatter(Locale.ROOT);

  private CellText() {}

  /** The text of a value; null for SQL NULL. */
  public static String of(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof scala.collection.Map<?, ?> map) {
      List<String> entries = new ArrayList<>();
      JavaConverters.asJavaIterator(map.iterator()).forEachRemaining(e -> {
        Tuple2<?, ?> entry = (Tuple2<?, ?>) e;
        entries.add(nested(entry._1()) + " -> " + nested(entry._2()));
      });
      return "{" + String.join(", ", entries) + "}";
    }
    if (value instanceof scala.collection.Seq<?> seq) {
      List<String> elements = new ArrayList<>();
      JavaConverters.asJavaIterator(seq.iterator()).forEachRemaining(e -> elements.add(nested(e)));
      return "[" + String.join(", ", elements) + "]";
    }
    if (value instanceof Row row) {
      List<String> fields = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        fields.add(nested(row.get(i)));
      }
      return "{" + String.join(", ", fields) + "}";
    }
    if (value instanceof Timestamp timestamp) {
      return TIMESTAMP.format(timestamp.toInstant().atOffset(ZoneOffset.UTC));
    }
    if (value instanceof LocalDateTime local) { // TIMESTAMP_NTZ
      return TIMESTAMP.format(local);
    }
    if (value instanceof byte[] bytes) {
      return "[" + HEX.formatHex(bytes) + "]"; // as Spark's show prints binary
    }
    return String.valueOf(value);
  }

  private static String nested(Object value) {
    return value == null ? "null" : of(value);
  }
}
