package io.geolake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** geolake sql, in-process on the test's Spark session: what it prints for commands and complex values, csv's --limit, and what no role may do. */
class TestSqlCommand extends BaseSparkTest {
  @TempDir Path data;

  @Test
  void aCommandSaysWhatItChangedValuesReadAsSparkWritesThemCsvHonoursAGivenLimitAndNoRoleDropsAKeptTable() {
    GeolakeConfig config = config(data, "catalog.name=sql_command");
    LakehouseCatalog catalog = catalog(config);
    catalog.ensureTables(config);

    InProcessGeolake.Result insert = sql("INSERT INTO staging.pings VALUES"
        + " ('maid-1', 'aaid', 19.43, -99.13, 8.0, TIMESTAMP '2024-05-06 08:00:00', NULL, NULL, NULL, NULL, NULL, 'pings', 'file:/a.csv', 2, DATE '2024-05-06', 'load'),"
        + " ('maid-2', 'aaid', 19.44, -99.14, NULL, TIMESTAMP '2024-05-06 09:00:00', NULL, NULL, NULL, NULL, NULL, 'pings', 'file:/a.csv', 3, DATE '2024-05-06', 'load')");
    assertThat(insert.code()).as(insert.err()).isZero();
    assertThat(insert.out()).containsPattern("Ran in \\d+\\.\\d s\\.")
        .contains("staging.pings: 0 -> 2 rows (snapshot " + catalog.currentSnapshotId(Tables.STAGING_PINGS) + ")");

    assertThat(sql("--format", "csv", "SELECT device_id FROM staging.pings ORDER BY 1").out().lines()).containsExactly("device_id", "maid-1", "maid-2");
    assertThat(sql("--format", "csv", "--limit", "1", "SELECT device_id FROM staging.pings ORDER BY 1").out().lines()).containsExactly("device_id", "maid-1");
    // Arrays, maps and structs print as Spark writes them, not as the JVM objects holding them.
    InProcessGeolake.Result complex = sql("SELECT percentile_approx(latitude, array(0.0, 1.0)) AS lat, map(min(device_id), 1) AS m FROM staging.pings");
    assertThat(complex.out()).contains("[19.43, 19.44]", "{maid-1 -> 1}").doesNotContain("WrappedArray", "ArraySeq");

    InProcessGeolake.Result delete = sql("DELETE FROM staging.pings WHERE device_id = 'maid-1'");
    assertThat(delete.code()).as(delete.err()).isZero();
    assertThat(delete.out()).contains("staging.pings: 2 -> 1 rows (snapshot " + catalog.currentSnapshotId(Tables.STAGING_PINGS) + ")");
    assertThat(sql("DELETE FROM staging.pings WHERE device_id = 'maid-9'").out()).doesNotContain("2 -> 1");

    InProcessGeolake.Result drop = sql("DROP TABLE staging.pings");
    assertThat(drop.code()).isEqualTo(ExitCodes.ACCESS_DENIED);
    assertThat(drop.err()).contains("Role admin may not run this statement: it drops staging.pings, a table geolake keeps");
    assertThat(sql("SELECT count(*) AS n FROM staging.pings").out()).contains("(1 row)");
  }

  private InProcessGeolake.Result sql(String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "sql";
    all[1] = "--data";
    all[2] = data.toString();
    all[3] = "--set";
    all[4] = "catalog.name=sql_command";
    System.arraycopy(args, 0, all, 5, args.length);
    return InProcessGeolake.run(all);
  }
}
