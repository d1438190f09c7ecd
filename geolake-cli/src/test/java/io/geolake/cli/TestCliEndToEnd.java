package io.geolake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as scripts use it: each command in its own JVM, as the launcher starts it, on
 * small generated data in one data folder.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestCliEndToEnd {
  @TempDir static Path data;

  private static ChildGeolake.Result geolake(String... args) throws IOException, InterruptedException {
    return ChildGeolake.run(data, args);
  }

  @Test
  @Order(1)
  void generateWritesDeliveries() throws Exception {
    ChildGeolake.Result r = geolake("generate", "--data", data.toString(), "--devices", "8", "--days", "2", "--start", "2024-05-06", "--seed", "3");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("dt=2024-05-06", "dt=2024-05-07");
    assertThat(data.resolve("landing/pings/dt=2024-05-07/part-00000.csv.gz")).exists();
  }

  @Test
  @Order(2)
  void runReportsWhatItDidAndTablesAndSqlShowIt() throws Exception {
    ChildGeolake.Result first = geolake("run", "--date", "2024-05-06", "--data", data.toString(), "--set", "guard.max-reject-share=0.5");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("== 2024-05-06", "delivered", "raw", "exact duplicates", "late, merged", "staging rows by day");
    assertThat(first.err()).contains("[2024-05-06] ingest ...", "[2024-05-06] stage done in");

    ChildGeolake.Result json = geolake("run", "--date", "2024-05-07", "--data", data.toString(), "--landing", data.resolve("landing").toString(), "--format", "json");
    assertThat(json.code()).as(json.err()).isZero();
    assertThat(json.out()).contains("\"date\" : \"2024-05-07\"", "\"lateMerged\"");

    ChildGeolake.Result tables = geolake("tables", "--data", data.toString());
    assertThat(tables.code()).as(tables.err()).isZero();
    assertThat(tables.out()).contains("raw.pings", "raw.rejects", "staging.pings", "staging.quarantine");

    ChildGeolake.Result csv =
        geolake(
            "sql", "--data", data.toString(), "--format", "csv",
            "SELECT date(event_ts) AS day, count(*) AS pings FROM staging.pings GROUP BY 1 ORDER BY 1");
    assertThat(csv.code()).as(csv.err()).isZero();
    List<String> lines = csv.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("day,pings");
    assertThat(lines).anyMatch(l -> l.startsWith("2024-05-06,")).anyMatch(l -> l.startsWith("2024-05-07,"));
    long pings = lines.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[1])).sum();
    assertThat(pings).isPositive();

    // In a role that sees the first day's pings only (access.roles[].row-filters).
    ChildGeolake.Result table = geolake("sql", "--data", data.toString(), "--role", "first_day", "--set",
        "access.roles=[{name: admin, tables: ['*'], personal-data: true, any-statement: true},"
            + " {name: first_day, tables: [staging.*], pseudonymized: true, row-filters: {staging.pings: \"date(event_ts) = DATE '2024-05-06'\"}}]",
        "SELECT count(*) AS n FROM staging.pings");
    String firstDay = lines.stream().filter(l -> l.startsWith("2024-05-06,")).findFirst().orElseThrow().split(",")[1];
    assertThat(Long.parseLong(firstDay)).isLessThan(pings);
    assertThat(table.out()).contains("n", firstDay, "(1 row)");
    assertThat(table.err()).contains("Role first_day sees only the rows of staging.pings where date(event_ts) = DATE '2024-05-06'.",
        "Role first_day reads device_id, ip_address of staging.pings as keyed pseudonyms.");

    ChildGeolake.Result runs = geolake("runs", "--data", data.toString(), "--date", "2024-05-06");
    assertThat(runs.code()).as(runs.err()).isZero();
    assertThat(runs.out()).contains("2024-05-06-1", "succeeded", "steps of run 2024-05-06-1", "ingest", "stage", "features", "score", "publish");
  }

  @Test
  @Order(3)
  void failuresHaveExitCodesAndSayWhatToDo() throws Exception {
    ChildGeolake.Result missing = geolake("run", "--date", "2030-01-01", "--data", data.toString());
    assertThat(missing.code()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(missing.err()).contains("Cannot ingest 2030-01-01", "Check --date and --landing");

    // Two days without places of interest: no visits, so nothing to learn; the message says why.
    ChildGeolake.Result untrainable = geolake("train", "--as-of", "2024-05-07", "--data", data.toString());
    assertThat(untrainable.code()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(untrainable.err()).contains("Cannot train model X as of 2024-05-07", "features.places.geofences");
    // From cron as much as from a terminal: the failure is an incident, like serve's scheduled training's.
    assertThat(openIncidents()).containsPattern("open .*\\| training failed +\\| .*Training model X as of 2024-05-07 failed on ");
    ChildGeolake.Result models = geolake("models", "--data", data.toString());
    assertThat(models.code()).as(models.err()).isZero();
    assertThat(models.out()).contains("No versions of model X", "geolake train --as-of");

    ChildGeolake.Result badSql = geolake("sql", "--data", data.toString(), "SELECT nope FROM staging.pings");
    assertThat(badSql.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(badSql.err()).contains("invalid SQL", "nope");

    ChildGeolake.Result denied = geolake("sql", "--data", data.toString(), "--role", "engineer", "SELECT device_id FROM staging.pings");
    assertThat(denied.code()).isEqualTo(ExitCodes.ACCESS_DENIED);
    assertThat(denied.err()).contains("access denied: Role engineer may not run this statement", "staging.pings.device_id: personal data in clear");
    ChildGeolake.Result audit = geolake("audit", "--data", data.toString(), "--limit", "3");
    assertThat(audit.code()).as(audit.err()).isZero();
    List<String> newestFirst = audit.out().lines().skip(2).toList();
    assertThat(newestFirst).hasSize(3);
    assertThat(newestFirst.get(0)).contains("| engineer ", "| cli |", "| denied ", "SELECT device_id FROM staging.pings");
    assertThat(newestFirst.get(1)).contains("| admin ", "| failed ", "SELECT nope FROM staging.pings");
    assertThat(newestFirst.get(2)).contains("| first_day ", "| ok ", "|    1 |", "SELECT count(*) AS n FROM staging.pings");

    // 2024-05-07 published after 2024-05-06: taking back the earlier date would undo the later one too.
    ChildGeolake.Result notLatest = geolake("revert", "--date", "2024-05-06", "--data", data.toString());
    assertThat(notLatest.code()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(notLatest.err()).contains("Cannot revert the run of 2024-05-06 (2024-05-06-1)", "Runs published since: 2024-05-07 (2024-05-07-1)", "geolake revert --date 2024-05-07");
    ChildGeolake.Result dryRevert = geolake("revert", "--date", "2024-05-07", "--dry-run", "--data", data.toString());
    assertThat(dryRevert.code()).as(dryRevert.err()).isZero();
    assertThat(dryRevert.out()).containsPattern("staging\\.pings +\\| +[0-9,]+ +\\| +[0-9,]+ +\\| yes")
        .contains("Dry run: ", "would go back to where run 2024-05-07-1 started; nothing was changed.");
  }

  @Test
  @Order(4)
  void maintainExpiresSnapshotsAfterADryRunThatChangesNothing() throws Exception {
    String[] now = {"--data", data.toString(), "--set", "maintenance.snapshot-retention=PT0S", "--set", "maintenance.retain-last=1"};
    int before = stagingSnapshots();
    assertThat(before).isGreaterThan(1);
    // A model version whose metadata cannot be read stops maintenance before it expires anything
    // (it cannot tell which snapshots trained the version). A dry run fails with it but raises no
    // incident (it changes nothing); a real maintenance, run by cron, raises one.
    Path version = data.resolve("warehouse/_registry/model_x/versions/v0001/version.json");
    Files.createDirectories(version.getParent());
    Files.writeString(version, "{\"version\": \"v0001\", truncated");
    ChildGeolake.Result dryBroken = geolake(concat(new String[] {"maintain", "--dry-run"}, now));
    assertThat(dryBroken.code()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(dryBroken.err()).contains("version.json");
    assertThat(openIncidents()).doesNotContain("maintenance failed");
    ChildGeolake.Result broken = geolake(concat(new String[] {"maintain"}, now));
    assertThat(broken.code()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(broken.err()).contains("version.json", "[maintenance failed] geolake maintenance failed on ");
    assertThat(openIncidents()).containsPattern("open .*\\| maintenance failed +\\| .*geolake maintenance failed on ");
    assertThat(stagingSnapshots()).isEqualTo(before);
    Files.delete(version);
    Files.delete(version.getParent());
    // The failed run above left its branch: a retention set for raw.rejects waits for it to finish.
    ChildGeolake.Result dry = geolake(concat(new String[] {"maintain", "--dry-run", "--set", "maintenance.data-retention.raw.rejects=P1D"}, now));
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("would expire", "staging.pings", "rows past retention");
    assertThat(dry.out()).containsPattern("raw\\.rejects +\\| deferred: unfinished run +\\|").containsPattern("raw\\.pings +\\| - +\\|");
    assertThat(dry.err()).contains("Dry run: would expire snapshots older than");

    ChildGeolake.Result maintain = geolake(concat(new String[] {"maintain"}, now));
    assertThat(maintain.code()).as(maintain.err()).isZero();
    assertThat(maintain.out()).contains("expired", "data files deleted");
    assertThat(stagingSnapshots()).isEqualTo(1); // the dry run left them all for this one to expire
    assertThat(openIncidents()).doesNotContain("maintenance failed").contains("training failed"); // closed by the maintenance that succeeded
  }

  @Test
  @Order(5)
  void maintainDeletesQueryAuditEntriesOlderThanTheRetention() throws Exception {
    // The failed statement of an earlier test, as if it had run 400 days ago.
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + data.resolve("runs.db"));
        java.sql.Statement s = c.createStatement()) {
      assertThat(s.executeUpdate("UPDATE geolake_query_audit SET started_at = started_at - 400 * 86400000 WHERE statement = 'SELECT nope FROM staging.pings'"))
          .isEqualTo(1);
    }
    String[] lake = {"--data", data.toString(), "--set", "maintenance.audit-retention=P365D"};
    ChildGeolake.Result dry = geolake(concat(new String[] {"maintain", "--dry-run"}, lake));
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("Query audit: 1 entry started before", "(365 days ago) would be deleted");

    ChildGeolake.Result maintain = geolake(concat(new String[] {"maintain"}, lake));
    assertThat(maintain.code()).as(maintain.err()).isZero();
    assertThat(maintain.out()).contains("Query audit: 1 entry started before", "(365 days ago) deleted");
    ChildGeolake.Result audit = geolake("audit", "--data", data.toString());
    assertThat(audit.out()).doesNotContain("SELECT nope").contains("SELECT device_id FROM staging.pings", "SELECT count(*) AS n FROM staging.pings");
  }

  @Test
  @Order(6)
  void deviceDataExportsADeviceAndForgetErasesItEverywhereAndBlanksItOutOfTheAudit() throws Exception {
    ChildGeolake.Result first = geolake("sql", "--data", data.toString(), "--format", "csv", "SELECT device_id FROM staging.pings ORDER BY device_id LIMIT 1");
    String device = first.out().lines().toList().get(1);
    ChildGeolake.Result before = geolake("sql", "--data", data.toString(), "--format", "csv",
        "SELECT count(*) AS n FROM staging.pings WHERE device_id = '" + device + "'");
    assertThat(Long.parseLong(before.out().lines().toList().get(1))).isPositive();

    ChildGeolake.Result seen = geolake("device-data", "--data", data.toString(), "--device-id", device, "--out", data.resolve("request").toString());
    assertThat(seen.code()).as(seen.err()).isZero();
    assertThat(seen.out()).contains("staging.pings", "consumption.device_profiles", "files.");
    assertThat(java.nio.file.Files.readString(data.resolve("request/staging.pings.jsonl"))).contains("\"device_id\":\"" + device + "\"");

    ChildGeolake.Result refused = geolake("forget", "--data", data.toString(), "--device-id", device, "--role", "engineer");
    assertThat(refused.code()).isEqualTo(ExitCodes.ACCESS_DENIED);
    assertThat(refused.err()).contains("Role engineer may not erase devices");

    ChildGeolake.Result forget = geolake("forget", "--data", data.toString(), "--device-id", device);
    assertThat(forget.code()).as(forget.err()).isZero();
    assertThat(forget.out()).contains("staging.pings", "consumption.device_profiles", "device (pseudonym)", "Erased ", "geolake maintain");

    // The statements that named the device keep their shape, not the id; the erasure is recorded by pseudonym.
    ChildGeolake.Result audit = geolake("audit", "--data", data.toString(), "--limit", "6");
    assertThat(audit.out()).doesNotContain(device).contains("<forgotten device>", "geolake forget of 1 device(s), pseudonyms [", "| denied ");
    ChildGeolake.Result after = geolake("sql", "--data", data.toString(), "--format", "csv",
        "SELECT (SELECT count(*) FROM staging.pings WHERE device_id = '" + device + "') + (SELECT count(*) FROM raw.pings WHERE device_id = '" + device + "') AS n");
    assertThat(after.out().lines().toList().get(1)).isEqualTo("0");
  }

  /** `geolake incidents`: the open ones (no Spark, so in this JVM). */
  private static String openIncidents() {
    InProcessGeolake.Result incidents = InProcessGeolake.run("incidents", "--data", data.toString());
    assertThat(incidents.code()).as(incidents.err()).isZero();
    return incidents.out();
  }

  /** staging.pings' snapshot count, as `geolake tables` prints it. */
  private static int stagingSnapshots() throws Exception {
    ChildGeolake.Result tables = geolake("tables", "--data", data.toString());
    assertThat(tables.code()).as(tables.err()).isZero();
    String line = tables.out().lines().filter(l -> l.contains("staging.pings ")).findFirst().orElseThrow();
    List<String> cells = java.util.Arrays.stream(line.split("\\|")).map(String::trim).filter(c -> !c.isEmpty()).toList();
    return Integer.parseInt(cells.get(3));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
