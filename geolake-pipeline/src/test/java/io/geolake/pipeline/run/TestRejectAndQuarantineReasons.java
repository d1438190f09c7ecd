package io.geolake.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.rules.QuarantineReason;
import io.geolake.core.rules.RejectReason;
import io.geolake.core.schema.PingField;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.staging.RejectGuardException;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.geolake.pipeline.testing.Landing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One hand-made delivery that trips every reject and quarantine reason (exactly once, but for two JSON and two placeholder ids). */
class TestRejectAndQuarantineReasons extends BaseSparkTest {
  private static final LocalDate D = LocalDate.of(2024, 5, 6);

  @TempDir Path data;

  private void writeDelivery(Landing landing) {
    landing.csv(
        D,
        "a-main.csv",
        "ok1,idfa,19.40,-99.10,10,2024-05-06T10:00:00Z",
        "ok1,idfa,19.40,-99.10,10,2024-05-06T10:00:00Z", // exact duplicate of the line above
        "ok2,aaid,19.41,-99.11,,2024-05-06T10:00:00Z", // missing accuracy: kept
        "ok3,aaid,19.42,-99.12,5,1714989600", // epoch seconds
        "ok4,aaid,19.43,-99.13,5,1714989600123", // epoch millis
        "ok5,aaid,19.44,-99.14,5,2024-05-06T04:00:00-06:00", // ISO with offset
        "key,aaid,19.10,-99.10,5,2024-05-06T12:00:00Z", // loses to b-later.csv
        ",idfa,19.40,-99.10,10,2024-05-06T10:00:00Z",
        "q1,idfa,north,-99.10,10,2024-05-06T10:00:00Z",
        "q2,idfa,95.0,-99.10,10,2024-05-06T10:00:00Z",
        "q3,idfa,0,0,10,2024-05-06T10:00:00Z",
        "q4,idfa,19.40,-99.10,abc,2024-05-06T10:00:00Z",
        "q5,idfa,19.40,-99.10,900,2024-05-06T10:00:00Z",
        "q6,idfa,19.40,-99.10,10,yesterday",
        "q7,idfa,19.40,-99.10,10,2024-05-08T00:00:00Z",
        "q8,idfa,19.40,-99.10,10,1999-12-31T00:00:00Z",
        "q9,idfa,19.40,-99.10,10,2024-05-01T10:00:00Z",
        "s,idfa,19.40,-99.10,10,2024-05-06T10:00:00Z",
        "s,idfa,24.40,-99.10,10,2024-05-06T10:01:00Z", // teleport: 556 km in a minute
        "s,idfa,19.40,-99.10,10,2024-05-06T10:02:00Z",
        "x,idfa,19.40,-99.10,10,2024-05-06T10:00:00Z,surplus", // malformed_csv
        "00000000-0000-0000-0000-000000000000,idfa,19.40,-99.10,10,2024-05-06T10:00:00Z", // no consent to tracking
        "NULL,aaid,19.40,-99.10,10,2024-05-06T10:00:00Z"); // a placeholder listed in the rule
    landing.csv(D, "b-later.csv", "key,aaid,19.20,-99.20,5,2024-05-06T12:00:00Z");
    landing.jsonl(
        D,
        "c-events.jsonl",
        "{\"device_id\":\"j1\",\"latitude\":19.5,\"longitude\":-99.2,\"event_ts\":1714989600000,\"extra_field\":\"kept\"}",
        "{\"device_id\":\"j2\",\"latitude\":19.5",
        "[1, 2]");
    byte[] badUtf8 =
        (Landing.HEADER + "\nenc,idfa,19.4,-99.1,10,2024-05-06T10:00:00Z\n").getBytes(StandardCharsets.UTF_8);
    byte[] withBadByte = Arrays.copyOf(badUtf8, badUtf8.length + 3);
    withBadByte[badUtf8.length] = 'z';
    withBadByte[badUtf8.length + 1] = (byte) 0xC3;
    withBadByte[badUtf8.length + 2] = (byte) 0x28;
    landing.bytes(D, "d-encoding.csv", withBadByte);
    landing.bytes(D, "e-wrong-header.csv", "id,lat,lon,ts\n1,2,3,4\n".getBytes(StandardCharsets.UTF_8));
    landing.bytes(D, "f-notes.xlsx", new byte[] {1, 2, 3});
  }

  @Test
  void everyReasonIsProducedAndCountedExactly() {
    GeolakeConfig config = config(data, "guard.max-reject-share=1.0");
    LakehouseCatalog catalog = catalog(config);
    writeDelivery(new Landing(data.resolve("landing")));

    RunReport report = new DailyRun(catalog, config, RunListener.NONE).run(D);

    Map<String, Long> expectedRejects =
        Arrays.stream(RejectReason.values())
            .filter(r -> r != RejectReason.UNREADABLE_FILE) // see TestCorruptFiles
            .collect(Collectors.toMap(RejectReason::code, r -> r == RejectReason.MALFORMED_JSON ? 2L : 1L));
    assertThat(report.ingest().rejectsByReason()).isEqualTo(expectedRejects);
    assertThat(groupCount(catalog.qualified(Tables.RAW_REJECTS), "reason")).isEqualTo(expectedRejects);

    Map<String, Long> expectedQuarantine =
        Arrays.stream(QuarantineReason.values())
            .collect(Collectors.toMap(QuarantineReason::code, r -> r == QuarantineReason.PLACEHOLDER_DEVICE_ID ? 2L : 1L));
    assertThat(report.stage().quarantinedByReason()).isEqualTo(expectedQuarantine);
    assertThat(groupCount(catalog.qualified(Tables.STAGING_QUARANTINE), "reason")).isEqualTo(expectedQuarantine);
    assertThat(report.stage().exactDuplicates()).isEqualTo(1);
    assertThat(report.stage().keyDuplicates()).isEqualTo(1);

    String staging = catalog.qualified(Tables.STAGING_PINGS);
    assertThat(
            sql("SELECT device_id FROM %s ORDER BY device_id", staging).stream()
                .map(r -> r.getString(0))
                .toList())
        .containsExactly("enc", "j1", "key", "ok1", "ok2", "ok3", "ok4", "ok5", "s", "s");
    List<Row> key = sql("SELECT latitude, _source_file FROM %s WHERE device_id = 'key'", staging);
    assertThat(key.get(0).getDouble(0)).isEqualTo(19.20);
    assertThat(key.get(0).getString(1)).endsWith("b-later.csv");
    assertThat(count("SELECT count(*) FROM %s WHERE device_id = 'ok2' AND horizontal_accuracy IS NULL", staging))
        .isEqualTo(1);
    // Three spellings of 2024-05-06 10:00:00Z.
    assertThat(
            sql("SELECT CAST(event_ts AS STRING) FROM %s WHERE device_id IN ('ok3','ok4','ok5') ORDER BY device_id", staging)
                .stream()
                .map(r -> r.getString(0))
                .toList())
        .containsExactly("2024-05-06 10:00:00", "2024-05-06 10:00:00.123", "2024-05-06 10:00:00");
    assertThat(
            sql("SELECT _extra['extra_field'] FROM %s WHERE device_id = 'j1'", catalog.qualified(Tables.RAW_PINGS))
                .get(0)
                .getString(0))
        .isEqualTo("kept");

    // Rejects point at the file and line, and keep the line.
    Row malformed =
        sql(
                "SELECT _source_file, _row_number, line, detail FROM %s WHERE reason = 'malformed_csv'",
                catalog.qualified(Tables.RAW_REJECTS))
            .get(0);
    assertThat(malformed.getString(0)).endsWith("a-main.csv");
    assertThat(malformed.getLong(1)).isEqualTo(22); // header is line 1
    assertThat(malformed.getString(2)).endsWith(",surplus");
    assertThat(malformed.getString(3)).contains("expected 6 fields");
  }

  @Test
  void rejectGuardFailsTheRunKeepsRejectsAndRollsBackTheRest() {
    GeolakeConfig config = config(data);
    LakehouseCatalog catalog = catalog(config);
    Landing landing = new Landing(data.resolve("landing"));
    landing.csv(D.minusDays(1), "part-0.csv", "p,idfa,19.40,-99.10,10,2024-05-05T10:00:00Z");
    DailyRun run = new DailyRun(catalog, new io.geolake.pipeline.testing.Configs(config).with("guard.max-reject-share=1.0"), RunListener.NONE);
    run.run(D.minusDays(1));
    long rawBefore = catalog.table(Tables.RAW_PINGS).currentSnapshot().snapshotId();
    long stagingBefore = catalog.table(Tables.STAGING_PINGS).currentSnapshot().snapshotId();
    writeDelivery(landing);

    assertThatThrownBy(() -> new DailyRun(catalog, config, RunListener.NONE).run(D))
        .isInstanceOf(RejectGuardException.class)
        .hasMessageContaining("Cannot stage 2024-05-06")
        .hasMessageContaining("above guard.max-reject-share 5.0%")
        .hasMessageContaining("malformed_json 2")
        .hasMessageContaining("a-main.csv");

    assertThat(catalog.table(Tables.RAW_PINGS).currentSnapshot().snapshotId()).isEqualTo(rawBefore);
    assertThat(catalog.table(Tables.STAGING_PINGS).currentSnapshot().snapshotId()).isEqualTo(stagingBefore);
    assertThat(count("SELECT count(*) FROM %s", catalog.qualified(Tables.RAW_PINGS))).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM %s WHERE _ingest_date = DATE '%s'", catalog.qualified(Tables.RAW_REJECTS), D))
        .isEqualTo(6); // every reject reason once, malformed_json twice, no unreadable file
    assertThat(count("SELECT count(*) FROM %s WHERE _ingest_date = DATE '%s'", catalog.qualified(Tables.STAGING_QUARANTINE), D))
        .isEqualTo(QuarantineReason.values().length + 1); // two placeholder ids
  }

  @Test
  void speedJumpsAreJudgedAlongTheTrackOfWinningRowsOnly() {
    GeolakeConfig config = config(data, "guard.max-reject-share=1.0");
    LakehouseCatalog catalog = catalog(config);
    new Landing(data.resolve("landing"))
        .csv(
            D,
            "part-0.csv",
            "t,idfa,19.40,-99.10,10,2024-05-06T10:00:00Z",
            "t,idfa,24.40,-99.10,10,2024-05-06T10:01:00Z", // teleport, exact duplicate of the next line
            "t,idfa,24.40,-99.10,10,2024-05-06T10:01:00Z", // teleport (winner)
            "t,idfa,19.40,-99.10,900,2024-05-06T10:01:30Z", // low accuracy, between the teleport and its way back
            "t,idfa,19.40,-99.10,10,2024-05-06T10:02:00Z",
            "u,idfa,19.40,-99.10,10,2024-05-06T10:00:00Z",
            "u,idfa,24.40,-99.10,10,2024-05-06T10:01:00Z", // teleport, loses to the next line
            "u,idfa,19.401,-99.10,10,2024-05-06T10:01:00Z",
            "u,idfa,19.40,-99.10,10,2024-05-06T10:02:00Z");

    catalog.ensureTables(config);
    io.geolake.pipeline.ingest.IngestResult ingest = new io.geolake.pipeline.ingest.IngestStep(catalog, config).execute(D);
    io.geolake.pipeline.staging.StageResult stage = new io.geolake.pipeline.staging.StageStep(catalog, config).execute(D, ingest);

    assertThat(stage.quarantinedByReason()).isEqualTo(Map.of("speed_jump", 1L, "low_accuracy", 1L));
    assertThat(stage.exactDuplicates()).isEqualTo(1);
    assertThat(stage.keyDuplicates()).isEqualTo(1);
    Row jump = sql("SELECT device_id, latitude, event_ts, _row_number FROM %s WHERE reason = 'speed_jump'", catalog.qualified(Tables.STAGING_QUARANTINE)).get(0);
    assertThat(List.of(jump.getString(0), jump.getString(1), jump.getString(2), jump.getLong(3)))
        .containsExactly("t", "24.40", "2024-05-06T10:01:00Z", 4L); // the delivered text; line 1 is the header
    assertThat(
            sql("SELECT device_id, latitude, CAST(event_ts AS STRING) FROM %s ORDER BY device_id, event_ts", catalog.qualified(Tables.STAGING_PINGS))
                .stream()
                .map(r -> r.getString(0) + " " + r.getDouble(1) + " " + r.getString(2))
                .toList())
        .containsExactly(
            "t 19.4 2024-05-06 10:00:00",
            "t 19.4 2024-05-06 10:02:00",
            "u 19.4 2024-05-06 10:00:00",
            "u 19.401 2024-05-06 10:01:00",
            "u 19.4 2024-05-06 10:02:00");
  }

  @Test
  void quarantinedRowsKeepTheDeliveredTextOfEveryField() {
    GeolakeConfig config = config(data, "guard.max-reject-share=1.0");
    LakehouseCatalog catalog = catalog(config);
    Landing landing = new Landing(data.resolve("landing"));
    writeDelivery(landing);
    // Padded and empty text, in a row failing a rule and in a valid row quarantined as too late.
    landing.jsonl(
        D,
        "g-padded.jsonl",
        "{\"device_id\":\" pad \",\"id_type\":\"\",\"latitude\":95.0,\"longitude\":-99.2,\"event_ts\":1714989600000,\"platform\":\" ios\"}",
        "{\"device_id\":\" late \",\"latitude\":19.4,\"longitude\":-99.1,\"event_ts\":\"2024-05-01T10:00:00Z\",\"app_id\":\"app \"}");

    new DailyRun(catalog, config, RunListener.NONE).run(D);

    String quarantine = catalog.qualified(Tables.STAGING_QUARANTINE);
    String sameText =
        Arrays.stream(PingField.values())
            .map(f -> "q.`" + f.column() + "` <=> r.`" + f.column() + "`")
            .collect(Collectors.joining(" AND "));
    long quarantined = count("SELECT count(*) FROM %s", quarantine);
    assertThat(quarantined).isGreaterThanOrEqualTo(QuarantineReason.values().length + 2);
    assertThat(
            count(
                "SELECT count(*) FROM %s q JOIN %s r ON q._source_file = r._source_file AND q._row_number = r._row_number WHERE %s",
                quarantine, catalog.qualified(Tables.RAW_PINGS), sameText))
        .isEqualTo(quarantined);
    assertThat(sql("SELECT device_id, id_type, platform, app_id, reason FROM %s WHERE trim(device_id) IN ('pad', 'late') ORDER BY reason", quarantine))
        .extracting(Row::toString)
        .containsExactly("[ pad ,, ios,null,coordinates_out_of_range]", "[ late ,null,null,app ,too_late]");
  }

  private static Map<String, Long> groupCount(String table, String column) {
    return sql("SELECT %s, count(*) FROM %s GROUP BY 1", column, table).stream()
        .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
  }
}
