package io.geolake.pipeline.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.run.RunStore;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Role-based access to the catalog through SQL, and the audit of every statement. */
class TestSqlGate extends BaseSparkTest {
  @TempDir Path data;

  private LakehouseCatalog catalog;
  private QueryAudit audit;
  private SqlGate gate;
  private byte[] pseudonymKey;

  @BeforeEach
  void lakeWithTwoPings() {
    GeolakeConfig config = config(data, "access.roles=[" + String.join(", ",
        "{name: admin, tables: ['*'], personal-data: true, any-statement: true}",
        "{name: engineer, tables: ['*']}",
        "{name: analyst, tables: [consumption.*, ops.*]}",
        // Sees the northern ping only (maid-2 at 19.44).
        "{name: north, tables: [staging.pings, consumption.*], row-filters: {staging.pings: 'latitude > 19.435'}}",
        "{name: masked, tables: ['*'], pseudonymized: true}",
        // Filtered on the clear id, below the pseudonyms.
        "{name: masked_one, tables: ['*'], pseudonymized: true, row-filters: {staging.pings: \"device_id = 'maid-2'\"}}",
        // Positions and times only, as a column-level grant of Lake Formation's.
        "{name: positions, tables: [staging.pings, consumption.*], columns: {staging.pings: [event_ts, latitude, longitude]}}") + "]");
    pseudonymKey = config.features().pseudonymKey().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    catalog = catalog(config);
    catalog.ensureTables(config);
    audit = new QueryAudit(new RunStore(config));
    gate = new SqlGate(catalog, config, audit);
    // staging.pings in column order: the ping's 11 fields, then lineage.
    rows("admin", "INSERT INTO staging.pings VALUES"
        + " ('maid-1', 'aaid', 19.43, -99.13, 8.0, TIMESTAMP '2024-05-06 08:00:00', '10.0.0.1', NULL, NULL, NULL, NULL,"
        + " 'pings', 'file:/a.csv', 2, DATE '2024-05-06', 'load'),"
        + " ('maid-2', 'aaid', 19.44, -99.14, NULL, TIMESTAMP '2024-05-06 09:00:00', NULL, NULL, NULL, NULL, NULL,"
        + " 'pings', 'file:/a.csv', 3, DATE '2024-05-06', 'load')");
  }

  @Test
  void analystsQueryTheConsumptionLayerOnly() {
    assertThat(rows("analyst", "SELECT count(*) FROM consumption.stay_points").get(0).getLong(0)).isZero();
    assertThat(rows("analyst", "SELECT count(*) FROM ops.quality_results").get(0).getLong(0)).isZero();
    assertThat(denial("analyst", "SELECT count(*) FROM staging.pings"))
        .contains("Role analyst may not run this statement", "it reads staging.pings, which is not among the role's tables [consumption.*, ops.*]");
    assertThat(denial("analyst", "SELECT count(*) FROM consumption.visits WHERE device IN (SELECT reason FROM raw.rejects)"))
        .contains("raw.rejects");
  }

  @Test
  void personalColumnsNeedPersonalDataWhereverTheyAppear() {
    assertThat(rows("engineer", "SELECT count(*) FROM staging.pings").get(0).getLong(0)).isEqualTo(2);
    assertThat(rows("engineer", "SELECT latitude FROM staging.pings ORDER BY event_ts")).extracting(r -> r.getDouble(0)).containsExactly(19.43, 19.44);
    assertThat(rows("engineer", "SELECT reason, count(*) FROM raw.rejects GROUP BY reason")).isEmpty();
    assertThat(rows("engineer", "SELECT count(*) FROM staging.pings.snapshots").get(0).getLong(0)).isEqualTo(1);
    String[] personal = {
      "SELECT * FROM staging.pings",
      "SELECT latitude FROM staging.pings WHERE device_id = 'maid-1'",
      "SELECT count(DISTINCT device_id) FROM staging.pings",
      "SELECT max(device_id) FROM staging.pings", // Iceberg could answer this from file statistics
      "SELECT latitude, count(*) FROM staging.pings GROUP BY latitude, ip_address",
      "WITH d AS (SELECT device_id AS x FROM staging.pings) SELECT count(*) FROM d WHERE x LIKE 'maid%'",
      "SELECT count(*) FROM consumption.stay_points WHERE device IN (SELECT device_id FROM staging.pings)",
      "SELECT s.latitude FROM staging.pings s JOIN staging.quarantine q USING (device_id)",
      "TABLE staging.pings UNION ALL TABLE staging.pings",
      // A union's result carries its first input's column ids: the table's values come through unnamed.
      "SELECT * FROM (SELECT 'a', 'b', 0D, 0D, 0D, TIMESTAMP '2024-01-01 00:00:00', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 0L, DATE '2024-01-01', 'j'"
          + " UNION ALL TABLE staging.pings)",
      "SELECT count(*) FROM (SELECT DISTINCT * FROM staging.pings)",
      "SELECT line FROM raw.rejects",
      "SELECT _extra FROM raw.pings",
    };
    for (String statement : personal) {
      assertThat(denial("engineer", statement)).as(statement).contains("personal data in clear");
    }
    assertThat(denial("engineer", "SELECT * FROM staging.pings"))
        .contains("it reads staging.pings.device_id, staging.pings.ip_address: personal data in clear");
    assertThat(denial("engineer", "SELECT file_path FROM staging.pings.files")).contains("metadata table staging.pings.files lists column bounds");
    long snapshot = catalog.currentSnapshotId(Tables.STAGING_PINGS);
    assertThat(denial("engineer", "SELECT device_id FROM staging.pings VERSION AS OF " + snapshot)).contains("staging.pings.device_id");
    assertThat(rows("admin", "SELECT device_id FROM staging.pings ORDER BY 1")).extracting(r -> r.getString(0)).containsExactly("maid-1", "maid-2");
  }

  @Test
  void onlyAnyStatementRolesChangeTablesReadFilesOrLeaveSql() {
    String path = catalog.table(Tables.STAGING_PINGS).location();
    String[] statements = {
      "DROP TABLE staging.pings",
      "DELETE FROM staging.pings WHERE latitude > 0",
      "INSERT INTO consumption.model_scores SELECT * FROM consumption.model_scores",
      "CREATE TABLE consumption.mine AS SELECT 1 AS x",
      "SET spark.sql.shuffle.partitions=1",
      "SELECT reflect('java.lang.System', 'getenv', 'HOME')",
      "SELECT count(*) FROM parquet.`" + path + "/data`",
    };
    for (String statement : statements) {
      assertThatThrownBy(() -> gate.open(statement, new SqlGate.Caller("eve", "engineer", "test")))
          .as(statement).isInstanceOf(AccessDeniedException.class).hasMessageContaining("Role engineer may not run this statement");
    }
    assertThat(rows("engineer", "SELECT count(*) FROM staging.pings").get(0).getLong(0)).isEqualTo(2);
    assertThat(rows("engineer", "SHOW TABLES IN staging")).extracting(r -> r.getString(1)).contains("pings", "quarantine");
    rows("admin", "CREATE TABLE consumption.mine AS SELECT 1 AS x");
    assertThat(rows("analyst", "SELECT x FROM consumption.mine").get(0).getInt(0)).isEqualTo(1);
  }

  @Test
  void aRoleWithColumnGrantsReadsThoseColumnsOnlyWhereverTheStatementUsesThem() {
    assertThat(rows("positions", "SELECT count(*) FROM staging.pings").get(0).getLong(0)).isEqualTo(2);
    assertThat(rows("positions", "SELECT latitude, longitude FROM staging.pings WHERE event_ts > TIMESTAMP '2024-05-06 08:30:00'"))
        .singleElement().satisfies(r -> assertThat(r.getDouble(0)).isEqualTo(19.44));
    assertThat(rows("positions", "SELECT count(*) FROM staging.pings.snapshots").get(0).getLong(0)).isPositive();
    for (String statement : List.of(
        "SELECT latitude FROM staging.pings WHERE horizontal_accuracy < 10",
        "SELECT latitude, count(*) FROM staging.pings GROUP BY latitude, platform",
        "SELECT p.latitude FROM staging.pings p JOIN staging.pings q ON p.app_id = q.app_id",
        "SELECT count(DISTINCT os_version) FROM staging.pings")) {
      assertThatThrownBy(() -> gate.open(statement, new SqlGate.Caller("pat", "positions", "test")))
          .as(statement).isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("which the role is not granted (its columns: staging.pings [event_ts, latitude, longitude]; leave the others out");
    }
    assertThatThrownBy(() -> gate.open("SELECT * FROM staging.pings", new SqlGate.Caller("pat", "positions", "test")))
        .hasMessageContaining("it reads staging.pings.device_id, staging.pings.id_type, staging.pings.horizontal_accuracy, staging.pings.ip_address,")
        .hasMessageNotContaining("personal data in clear");
    for (String metadata : List.of("files", "partitions")) {
      assertThatThrownBy(() -> gate.open("SELECT * FROM staging.pings." + metadata, new SqlGate.Caller("pat", "positions", "test")))
          .hasMessageContaining("metadata table staging.pings." + metadata + " holds values or bounds of all columns, and the role is granted only [event_ts, latitude, longitude]");
    }
  }

  @Test
  void noRoleDropsOrReplacesATableThePipelineKeepsButAdminsDropTheirOwn() {
    for (String statement : List.of("DROP TABLE staging.pings", "DROP TABLE IF EXISTS " + catalog.name() + ".consumption.visits",
        "CREATE OR REPLACE TABLE consumption.visits AS SELECT 1 AS x", "REPLACE TABLE raw.pings (x INT) USING iceberg")) {
      assertThatThrownBy(() -> gate.open(statement, new SqlGate.Caller("root", "admin", "test")))
          .as(statement).isInstanceOf(AccessDeniedException.class)
          .hasMessageContaining("Role admin may not run this statement: it ")
          .hasMessageContaining(", a table geolake keeps").hasMessageContaining("remove rows with DELETE FROM");
    }
    assertThat(catalog.currentSnapshotId(Tables.STAGING_PINGS)).isNotNull();
    SqlGate.Query delete = gate.open("DELETE FROM staging.pings WHERE device_id = 'maid-1'", new SqlGate.Caller("root", "admin", "test"));
    delete.rows();
    assertThat(delete.changes()).singleElement().asString()
        .matches("staging\\.pings: 2 -> 1 rows \\(snapshot " + catalog.currentSnapshotId(Tables.STAGING_PINGS) + "\\)");
    SqlGate.Query query = gate.open("SELECT count(*) FROM staging.pings", new SqlGate.Caller("root", "admin", "test"));
    query.rows().collectAsList();
    assertThat(query.changes()).isEmpty();
    rows("admin", "CREATE TABLE consumption.scratch AS SELECT 1 AS x");
    rows("admin", "DROP TABLE consumption.scratch");
    assertThat(rows("admin", "SHOW TABLES IN consumption")).extracting(r -> r.getString(1)).contains("visits").doesNotContain("scratch");
  }

  @Test
  void aRowFilterHoldsWhereverTheStatementReadsTheTable() {
    long snapshot = catalog.currentSnapshotId(Tables.STAGING_PINGS);
    rows("admin", "ALTER TABLE staging.pings CREATE BRANCH audit");
    // Each statement counts 1 in role north; in role engineer, which sees both pings, the count after it.
    Map<String, Long> statements = new java.util.LinkedHashMap<>();
    statements.put("SELECT count(*) FROM staging.pings", 2L); // Iceberg could answer this from file statistics
    statements.put("SELECT count(*) FROM staging.pings a JOIN staging.pings b ON a.event_ts <= b.event_ts", 3L);
    statements.put("SELECT count(*) FROM staging.pings WHERE latitude IN (SELECT latitude FROM staging.pings)", 2L);
    statements.put("SELECT (SELECT count(*) FROM staging.pings)", 2L);
    statements.put("WITH p AS (SELECT latitude FROM staging.pings) SELECT count(*) FROM p a, p b", 4L);
    statements.put("SELECT count(*) FROM (SELECT latitude FROM staging.pings UNION SELECT latitude FROM staging.pings)", 2L);
    statements.put("SELECT count(*) FROM staging.pings VERSION AS OF " + snapshot, 2L);
    statements.put("SELECT count(*) FROM staging.pings.branch_audit", 2L);
    statements.put("SELECT count(*) FROM staging.pings VERSION AS OF 'audit'", 2L);
    statements.forEach((statement, unfiltered) -> {
      assertThat(rows("north", statement).get(0).getLong(0)).as(statement).isEqualTo(1);
      assertThat(rows("engineer", statement).get(0).getLong(0)).as(statement).isEqualTo(unfiltered);
    });
    assertThat(rows("north", "SELECT latitude FROM staging.pings")).extracting(r -> r.getDouble(0)).containsExactly(19.44);
    assertThat(rows("north", "SELECT min(latitude), max(latitude) FROM staging.pings").get(0)).isEqualTo(Row.fromSeq(
        scala.collection.JavaConverters.asScalaBuffer(List.<Object>of(19.44, 19.44)).toSeq()));
    assertThat(rows("north", "SELECT count(*) FROM consumption.stay_points").get(0).getLong(0)).isZero();
    // Its metadata tables count, bound and list the rows the filter hides.
    assertThat(denial("north", "SELECT count(*) FROM staging.pings.snapshots"))
        .contains("metadata table staging.pings.snapshots describes all rows of staging.pings, and the role sees only those where latitude > 19.435");
    assertThat(denial("north", "SELECT device_id FROM staging.pings")).contains("personal data in clear");
  }

  @Test
  void aPseudonymizedRoleReadsPersonalColumnsAsTheConsumptionLayersPseudonyms() {
    String one = pseudonym("maid-1");
    String two = pseudonym("maid-2");
    rows("admin", "INSERT INTO raw.pings VALUES ('maid-3', 'aaid', '19.4', '-99.1', NULL, '1714982400', '10.0.0.3', NULL, NULL, NULL, NULL,"
        + " map('carrier', 'acme', 'imei', '35-209900-176148-1'), 'pings', 'file:/a.csv', 2, DATE '2024-05-06', 'load')");

    assertThat(rows("masked", "SELECT device_id, ip_address FROM staging.pings ORDER BY event_ts"))
        .extracting(r -> r.getString(0), r -> r.getString(1)).containsExactly(tuple(one, pseudonym("10.0.0.1")), tuple(two, null));
    assertThat(rows("masked", "SELECT * FROM staging.pings ORDER BY event_ts")).extracting(r -> r.getString(0)).containsExactly(one, two);
    assertThat(rows("masked", "SELECT count(*) FROM staging.pings WHERE device_id = 'maid-1'").get(0).getLong(0)).isZero();
    assertThat(rows("masked", "SELECT latitude FROM staging.pings WHERE device_id = '" + one + "'")).extracting(r -> r.getDouble(0)).containsExactly(19.43);
    assertThat(rows("masked", "SELECT count(DISTINCT device_id), max(device_id) FROM staging.pings").get(0))
        .satisfies(r -> assertThat(r.getLong(0)).isEqualTo(2), r -> assertThat(r.getString(1)).isEqualTo(one.compareTo(two) > 0 ? one : two));
    // Joins by pseudonym, to itself and to values from the consumption layer; a correlated subquery; a CTE.
    assertThat(rows("masked", "SELECT count(*) FROM staging.pings a JOIN staging.pings b USING (device_id)").get(0).getLong(0)).isEqualTo(2);
    assertThat(rows("masked", "SELECT s.latitude FROM staging.pings s JOIN (VALUES ('" + two + "')) AS v(device) ON s.device_id = v.device"))
        .extracting(r -> r.getDouble(0)).containsExactly(19.44);
    assertThat(rows("masked", "SELECT device_id FROM staging.pings p WHERE EXISTS"
        + " (SELECT 1 FROM staging.pings q WHERE q.device_id = p.device_id AND q.latitude > 19.435)")).extracting(r -> r.getString(0)).containsExactly(two);
    // An outer reference in a subquery is the pseudonym too, not a way to test the clear id.
    String probe = "SELECT count(*) FROM staging.pings p WHERE EXISTS (SELECT 1 FROM (VALUES (1)) AS v(x) WHERE p.device_id = '%s')";
    assertThat(rows("masked", String.format(probe, "maid-1")).get(0).getLong(0)).isZero();
    assertThat(rows("masked", String.format(probe, one)).get(0).getLong(0)).isEqualTo(1);
    assertThat(rows("masked", "WITH d AS (SELECT device_id AS x FROM staging.pings) SELECT x FROM d GROUP BY x ORDER BY x"))
        .extracting(r -> r.getString(0)).containsExactly(one.compareTo(two) < 0 ? one : two, one.compareTo(two) < 0 ? two : one);
    assertThat(rows("masked", "SELECT device_id FROM staging.pings UNION SELECT device_id FROM staging.quarantine"))
        .extracting(r -> r.getString(0)).containsExactlyInAnyOrder(one, two);
    // However a statement carries the column up — CTE, window, grouping sets, generator, set
    // operation, scalar subquery — what comes out is the pseudonym.
    String[] shapes = {
      "WITH d AS (SELECT * FROM staging.pings) SELECT device_id FROM d",
      "SELECT device_id, row_number() OVER (PARTITION BY device_id ORDER BY event_ts) FROM staging.pings",
      "SELECT device_id, count(*) FROM staging.pings GROUP BY ROLLUP (device_id)",
      "SELECT d FROM staging.pings LATERAL VIEW explode(array(device_id, ip_address)) t AS d",
      "SELECT device_id FROM staging.pings INTERSECT SELECT device_id FROM staging.pings",
      "SELECT (SELECT min(device_id) FROM staging.pings)",
      "SELECT concat(device_id, '') FROM staging.pings ORDER BY device_id",
      "SELECT device_id, _file, _pos FROM staging.pings", // Iceberg's metadata columns join the relation's output
      "SELECT device_id FROM staging.pings TABLESAMPLE (100 PERCENT)",
      "SELECT * FROM staging.pings PIVOT (count(*) FOR id_type IN ('aaid'))",
    };
    for (String statement : shapes) {
      List<String> values = rows("masked", statement).stream().map(r -> r.get(0)).filter(java.util.Objects::nonNull).map(String::valueOf).toList();
      assertThat(values).as(statement).isNotEmpty().allMatch(v -> v.matches("[0-9a-f]{64}")).containsAnyOf(one, two);
    }
    // raw: delivered text and the map of unmapped columns, their values pseudonymized.
    Row raw = rows("masked", "SELECT device_id, ip_address, _extra, latitude FROM raw.pings").get(0);
    assertThat(raw.getString(0)).isEqualTo(pseudonym("maid-3"));
    assertThat(raw.getString(1)).isEqualTo(pseudonym("10.0.0.3"));
    assertThat(raw.<String, String>getJavaMap(2)).containsExactlyInAnyOrderEntriesOf(Map.of("carrier", pseudonym("acme"), "imei", pseudonym("35-209900-176148-1")));
    assertThat(raw.getString(3)).isEqualTo("19.4");
    // The filter reads the clear id; the statement sees its pseudonym.
    assertThat(rows("masked_one", "SELECT device_id FROM staging.pings")).extracting(r -> r.getString(0)).containsExactly(two);
    // File statistics hold the values in clear.
    assertThat(denial("masked", "SELECT upper_bounds FROM staging.pings.files")).contains("lists column bounds of personal data");
    assertThat(denial("engineer", "SELECT device_id FROM staging.pings")).contains("personal data in clear");
  }

  private String pseudonym(String value) {
    return io.geolake.pipeline.features.Pseudonyms.of(pseudonymKey, value);
  }

  @Test
  void aRowFilterThatDoesNotResolveAgainstItsTableFailsWhenTheGateOpens() {
    GeolakeConfig misspelt = io.geolake.core.config.ConfigLoader.load(null, List.of(
        "access.roles=[{name: north, tables: ['*'], row-filters: {staging.pings: 'lattitude > 19'}}]", "access.cli-role=north"));
    assertThatThrownBy(() -> new SqlGate(catalog, misspelt, audit))
        .isInstanceOf(io.geolake.core.config.ConfigException.class)
        .hasMessageContaining("'access.roles[0] (north).row-filters.staging.pings'; expected a SQL condition over the table's columns")
        .hasMessageContaining("lattitude");
    GeolakeConfig notACondition = io.geolake.core.config.ConfigLoader.load(null, List.of(
        "access.roles=[{name: north, tables: ['*'], row-filters: {staging.pings: 'latitude'}}]", "access.cli-role=north"));
    assertThatThrownBy(() -> new SqlGate(catalog, notACondition, audit))
        .hasMessageContaining("(got 'latitude': ");
  }

  @Test
  void everyStatementIsAuditedAllowedOrNot() {
    rows("engineer", "SELECT latitude FROM staging.pings");
    denial("engineer", "SELECT device_id FROM staging.pings");
    assertThatThrownBy(() -> gate.open("SELEC 1", new SqlGate.Caller("ana", "analyst", "api"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid SQL");
    assertThatThrownBy(() -> gate.open("SELECT 1", new SqlGate.Caller("ana", "auditor", "api"))).isInstanceOf(AccessDeniedException.class)
        .hasMessageContaining("Unknown role 'auditor'; configured roles (access.roles): [admin, engineer, analyst, north, masked, masked_one, positions]");

    List<QueryAudit.Entry> entries = audit.recent(null, 10);
    assertThat(entries).extracting(QueryAudit.Entry::outcome).containsExactly(
        QueryAudit.Outcome.DENIED, QueryAudit.Outcome.FAILED, QueryAudit.Outcome.DENIED, QueryAudit.Outcome.OK, QueryAudit.Outcome.OK);
    QueryAudit.Entry ok = entries.get(3);
    assertThat(ok.statement()).isEqualTo("SELECT latitude FROM staging.pings");
    assertThat(ok.tables()).isEqualTo("staging.pings");
    assertThat(ok.rows()).isEqualTo(2);
    assertThat(ok.user()).isEqualTo("tester");
    assertThat(ok.finishedAt()).isNotNull();
    assertThat(entries.get(2).detail()).contains("staging.pings.device_id");
    assertThat(entries.get(1).detail()).containsIgnoringCase("syntax");
    assertThat(audit.recent("ana", 10)).hasSize(2);
  }

  @Test
  void expiryDeletesTheEntriesStartedBeforeTheCutoffAndADryRunOnlyCountsThem() {
    rows("engineer", "SELECT count(*) FROM staging.pings");
    denial("analyst", "SELECT count(*) FROM staging.pings");
    List<QueryAudit.Entry> entries = audit.recent(null, 10);
    assertThat(entries).hasSize(3); // and the INSERT that made the lake
    java.time.Instant cutoff = entries.get(1).startedAt();

    assertThat(audit.expire(cutoff, true)).isEqualTo(1);
    assertThat(audit.recent(null, 10)).hasSize(3);
    assertThat(audit.expire(cutoff, false)).isEqualTo(1);
    assertThat(audit.recent(null, 10)).extracting(QueryAudit.Entry::queryId)
        .containsExactly(entries.get(0).queryId(), entries.get(1).queryId());
    assertThat(audit.expire(cutoff, false)).isZero();
  }

  private List<Row> rows(String role, String statement) {
    SqlGate.Query query = gate.open(statement, new SqlGate.Caller("tester", role, "test"));
    List<Row> rows = query.rows().collectAsList();
    query.finished(rows.size());
    return rows;
  }

  private String denial(String role, String statement) {
    try {
      gate.open(statement, new SqlGate.Caller("tester", role, "test"));
    } catch (AccessDeniedException e) {
      return e.getMessage();
    }
    throw new AssertionError("Role " + role + " was allowed to run: " + statement);
  }
}
