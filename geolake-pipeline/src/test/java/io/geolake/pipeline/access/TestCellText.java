package io.geolake.pipeline.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.pipeline.testing.BaseSparkTest;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class TestCellText extends BaseSparkTest {
  private static final String[] VALUES = {
    "array(1.5D, 2.0D, 9.141484462485895D)",
    "map('k', 1)",
    "named_struct('x', 1, 'y', 'b')",
    "array(named_struct('x', 1), NULL)",
    "array(map('a', array(1, 2)))",
    "percentile_approx(id, array(0.5, 0.9))",
    "CAST(NULL AS ARRAY<INT>)",
    "TIMESTAMP '2024-05-06 10:00:00'",
    "array(TIMESTAMP '2024-05-06 23:59:59.12345')",
    "TIMESTAMP_NTZ '2024-05-06 10:00:00.5'",
    "7",
  };

  @Test
  void complexValuesReadAsSparkCastsThemToText() {
    StringBuilder select = new StringBuilder("SELECT ");
    for (int i = 0; i < VALUES.length; i++) {
      select.append(i == 0 ? "" : ", ").append(VALUES[i]).append(" AS v").append(i).append(", CAST(").append(VALUES[i]).append(" AS STRING) AS t").append(i);
    }
    Row row = spark.sql(select + " FROM range(11)").first();

    for (int i = 0; i < VALUES.length; i++) {
      assertThat(CellText.of(row.get(2 * i))).as(VALUES[i]).isEqualTo(row.getString(2 * i + 1));
    }
    assertThat(CellText.of(row.get(0))).isEqualTo("[1.5, 2.0, 9.141484462485895]");
    assertThat(CellText.of(row.get(6))).isEqualTo("[{1}, null]");
    assertThat(CellText.of(row.get(12))).isNull();
    assertThat(CellText.of(row.get(16))).isEqualTo("[2024-05-06 23:59:59.12345]");
  }

  @Test
  void timestampsReadInUtcOnAComputerElsewhere() {
    Object timestamp = spark.sql("SELECT TIMESTAMP '2024-05-06 02:00:00' AS t").first().get(0);
    java.util.TimeZone computers = java.util.TimeZone.getDefault();
    java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("America/Mexico_City"));
    try {
      assertThat(timestamp.toString()).startsWith("2024-05-05 20:00"); // what printing it used to show
      assertThat(CellText.of(timestamp)).isEqualTo("2024-05-06 02:00:00");
    } finally {
      java.util.TimeZone.setDefault(computers);
    }
  }

  @Test
  void binaryReadsAsHexBytes() {
    assertThat(CellText.of(spark.sql("SELECT X'0AFF10' AS b").first().get(0))).isEqualTo("[0A FF 10]");
  }
}
