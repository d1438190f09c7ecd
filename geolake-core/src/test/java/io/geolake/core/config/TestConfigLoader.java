package io.geolake.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestConfigLoader {
  @TempDir Path dir;

  @Test
  void defaultsArePinned() {
    GeolakeConfig c = ConfigLoader.defaults();
    assertThat(c.data()).isEqualTo("./geolake-data");
    assertThat(c.landing()).isEmpty();
    assertThat(c.spark().master()).isEmpty();
    assertThat(c.spark().shufflePartitions()).isEqualTo(8);
    assertThat(c.spark().conf()).isEmpty();
    assertThat(c.catalog().name()).isEqualTo("geolake");
    assertThat(c.catalog().type()).isEqualTo(GeolakeConfig.CatalogType.JDBC);
    assertThat(c.catalog().uri()).isEmpty();
    assertThat(c.catalog().warehouse()).isEmpty();
    assertThat(c.catalog().properties()).isEmpty();
    assertThat(c.sources()).containsOnlyKeys("pings");
    GeolakeConfig.Source pings = c.sources().get("pings");
    assertThat(pings.path()).isEmpty();
    assertThat(pings.format()).isEqualTo(GeolakeConfig.SourceFormat.AUTO);
    assertThat(pings.csv().delimiter()).isEqualTo(",");
    assertThat(pings.fields())
        .hasSize(11)
        .allSatisfy((canonical, delivered) -> assertThat(delivered).isEqualTo(canonical));
    assertThat(c.staging().key()).containsExactly("device_id", "event_ts");
    assertThat(c.staging().lookbackDays()).isEqualTo(3);
    assertThat(c.staging().tooLatePolicy()).isEqualTo(GeolakeConfig.TooLatePolicy.QUARANTINE);
    assertThat(c.staging().mergeMode()).isEqualTo(GeolakeConfig.MergeMode.COPY_ON_WRITE);
    assertThat(c.rules().accuracy().enabled()).isTrue();
    assertThat(c.rules().accuracy().maxMetres()).isEqualTo(500.0);
    assertThat(c.rules().nullIsland().enabled()).isTrue();
    assertThat(c.rules().eventTime().notBefore()).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
    assertThat(c.rules().eventTime().futureTolerance()).isEqualTo(Duration.ofHours(1));
    assertThat(c.rules().speedJump().enabled()).isTrue();
    assertThat(c.rules().speedJump().maxMetresPerSecond()).isEqualTo(100.0);
    assertThat(c.features().stayPoints().distanceMetres()).isEqualTo(100.0);
    assertThat(c.features().stayPoints().time()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.features().stayPoints().gapDuration()).isEqualTo(Duration.ofHours(12));
    assertThat(c.features().h3Resolution()).isEqualTo(9);
    assertThat(c.features().presence().h3Resolution()).isEqualTo(8);
    assertThat(c.features().presence().k()).isEqualTo(10);
    assertThat(c.features().pseudonymKey()).isEqualTo("geolake-demo-key");
    assertThat(c.features().rollingDays()).isEqualTo(28);
    assertThat(c.features().timeZone()).isEqualTo(java.time.ZoneId.of("America/Mexico_City"));
    assertThat(c.features().homeWork())
        .isEqualTo(new GeolakeConfig.HomeWork(9, 22, 6, 9, 18));
    assertThat(c.features().places().configured()).isFalse();
    assertThat(c.model())
        .isEqualTo(new GeolakeConfig.Model(7, 56, 7, GeolakeConfig.Algorithm.GBT, "", 20, 3, 50, 0.05, 0.5, GeolakeConfig.PromotionMetric.AUC_ROC, 0.01, 0.25, 42, ""));
    assertThat(c.guard().maxRejectShare()).isEqualTo(0.05);
    assertThat(c.runs())
        .isEqualTo(new GeolakeConfig.Runs("", "", "", Duration.ofSeconds(10), Duration.ofMinutes(2),
            new GeolakeConfig.Retry(3, Duration.ofSeconds(5), Duration.ofMinutes(1))));
    assertThat(c.access().cliRole()).isEqualTo("admin");
    assertThat(c.access().roles()).containsExactly(
        new GeolakeConfig.Role("admin", List.of("*"), true, true, false, Map.of()),
        new GeolakeConfig.Role("engineer", List.of("*"), false, false, false, Map.of()),
        new GeolakeConfig.Role("analyst", List.of("consumption.*", "ops.*"), false, false, false, Map.of()));
    assertThat(c.access().users()).isEmpty();
  }

  @Test
  void accessRolesAndUsersAreCheckedAndTokenHashesMasked() {
    String hash = "a".repeat(64);
    GeolakeConfig c = ConfigLoader.load(null, List.of("access.roles=[{name: viewer, tables: [consumption.visits]}]", "access.cli-role=viewer",
        "access.users=[{name: ana, role: viewer, token-sha256: " + hash + "}]"));
    assertThat(c.access().roles()).containsExactly(new GeolakeConfig.Role("viewer", List.of("consumption.visits"), false, false, false, Map.of()));
    assertThat(c.access().roles().get(0).mayQuery("consumption.visits")).isTrue();
    assertThat(c.access().roles().get(0).mayQuery("consumption.trips")).isFalse();
    assertThat(ConfigLoader.toYaml(c)).doesNotContain(hash);
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("access.cli-role=root")))
        .hasMessage("Invalid config value for 'access.cli-role'; expected the name of a role in access.roles [admin, engineer, analyst]");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("access.users=[{name: ana, role: boss, token-sha256: " + hash + "}]")))
        .hasMessageContaining("'access.users[0] (ana).role'; expected the name of a role in access.roles");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("access.users=[{name: ana, role: analyst, token-sha256: secret}]")))
        .hasMessageContaining("'access.users[0] (ana).token-sha256'; expected the token's SHA-256 as 64 lower-case hex digits");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("access.users=[{name: ana, role: analyst}]")))
        .hasMessageContaining("access.users[0].token-sha256");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("access.roles=[{name: admin, tables: [staging]}]")))
        .hasMessageContaining("'access.roles[0] (admin).tables'; expected *, layer.* or layer.table, e.g. consumption.* (got 'staging')");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("access.roles=[{name: admin, tables: ['*'], superuser: true}]")))
        .hasMessageContaining("superuser");
  }

  @Test
  void rowFiltersNameTablesOfTheRoleAndNeverComeWithAnyStatement() {
    GeolakeConfig c = ConfigLoader.load(null, List.of("access.cli-role=acme",
        "access.roles=[{name: acme, tables: [consumption.*], row-filters: {consumption.visits: \"place_id = 'acme-1'\"}}]"));
    assertThat(c.access().roles().get(0).rowFilter("consumption.visits")).contains("place_id = 'acme-1'");
    assertThat(c.access().roles().get(0).rowFilter("consumption.trips")).isEmpty();
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("access.cli-role=acme",
        "access.roles=[{name: acme, tables: ['*'], any-statement: true, row-filters: {consumption.visits: \"place_id = 'acme-1'\"}}]")))
        .hasMessageContaining("'access.roles[0] (acme).row-filters'; expected no row filters on a role with any-statement: true");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("access.cli-role=acme",
        "access.roles=[{name: acme, tables: [consumption.visits], row-filters: {staging.pings: \"country = 'MX'\"}}]")))
        .hasMessageContaining("'access.roles[0] (acme).row-filters.staging.pings'; expected a table of the role's tables [consumption.visits]");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("access.cli-role=acme",
        "access.roles=[{name: acme, tables: ['*'], row-filters: {consumption.*: \"place_id = 'acme-1'\"}}]")))
        .hasMessageContaining("row-filters.consumption.*'; expected a table of the role's tables [*] written layer.table");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("access.cli-role=acme",
        "access.roles=[{name: acme, tables: ['*'], row-filters: {consumption.visits: ' '}}]")))
        .hasMessageContaining("'access.roles[0] (acme).row-filters.consumption.visits'; expected a SQL condition");
    assertThat(ConfigLoader.load(null, List.of("access.cli-role=eng", "access.roles=[{name: eng, tables: ['*'], pseudonymized: true}]"))
        .access().roles().get(0).pseudonymized()).isTrue();
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("access.cli-role=eng",
        "access.roles=[{name: eng, tables: ['*'], personal-data: true, pseudonymized: true}]")))
        .hasMessageContaining("'access.roles[0] (eng).pseudonymized'; expected false on a role with personal-data: true");
  }

  @Test
  void columnGrantsNameColumnsOfKeptTablesOfTheRoleAndNeverComeWithAnyStatement() {
    GeolakeConfig c = ConfigLoader.load(null, List.of(
        "access.roles=[{name: admin, tables: ['*'], any-statement: true}, {name: pos, tables: [staging.pings], columns: {staging.pings: [event_ts, latitude]}}]",
        "access.cli-role=admin"));
    GeolakeConfig.Role pos = c.access().roles().get(1);
    assertThat(pos.mayRead("staging.pings", "latitude")).isTrue();
    assertThat(pos.mayRead("staging.pings", "device_id")).isFalse();
    assertThat(c.access().roles().get(0).mayRead("staging.pings", "device_id")).isTrue();
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("access.roles=[{name: admin, tables: ['*'], columns: {staging.pings: [lat]}}]")))
        .hasMessageContaining("'access.roles[0] (admin).columns.staging.pings'; expected columns of staging.pings [device_id, id_type, latitude,")
        .hasMessageContaining("(got 'lat')");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("access.roles=[{name: admin, tables: [consumption.*], columns: {staging.pings: [latitude]}}]")))
        .hasMessageContaining("'access.roles[0] (admin).columns.staging.pings'; expected a table of geolake's among the role's tables [consumption.*]");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("access.roles=[{name: admin, tables: ['*'], any-statement: true, columns: {staging.pings: [latitude]}}]")))
        .hasMessageContaining("'access.roles[0] (admin).columns'; expected no column grants on a role with any-statement: true");
  }

  @Test
  void lockTimeoutMustOutlastTwoHeartbeats() {
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("runs.heartbeat=PT1M", "runs.lock-timeout=PT1M")))
        .hasMessageContaining("'runs.lock-timeout'")
        .hasMessageContaining("longer than two heartbeats (PT2M)");
  }

  @Test
  void stayGapTakesNoneOrADuration() {
    assertThat(ConfigLoader.load(null, List.of("features.stay-points.gap=none")).features().stayPoints().gapDuration())
        .isNull();
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("features.stay-points.gap=soon")))
        .hasMessageContaining("'features.stay-points.gap'")
        .hasMessageContaining("none or an ISO-8601 duration");
  }

  @Test
  void fileOverridesDefaultsAndSetOverridesFile() throws IOException {
    Path file = dir.resolve("geolake.yaml");
    Files.writeString(
        file,
        """
        staging:
          lookback-days: 5
          too-late-policy: merge
        rules:
          accuracy: {enabled: false}
        spark:
          conf: {spark.executor.memory: 4g}
        """);
    GeolakeConfig c =
        ConfigLoader.load(
            file, List.of("staging.lookback-days=7", "staging.key=[device_id, event_ts, latitude]"));
    assertThat(c.staging().lookbackDays()).isEqualTo(7);
    assertThat(c.staging().tooLatePolicy()).isEqualTo(GeolakeConfig.TooLatePolicy.MERGE);
    assertThat(c.staging().key()).containsExactly("device_id", "event_ts", "latitude");
    assertThat(c.rules().accuracy().enabled()).isFalse();
    assertThat(c.rules().accuracy().maxMetres()).isEqualTo(500.0);
    assertThat(c.spark().conf()).containsEntry("spark.executor.memory", "4g");
  }

  @Test
  void namedSourcesReplaceTheDefaultSourceAndInheritFieldDefaults() {
    GeolakeConfig c =
        ConfigLoader.load(
            null,
            List.of("sources.vendor_a.fields.device_id=maid", "sources.vendor_a.format=csv"));
    assertThat(c.sources()).containsOnlyKeys("vendor_a");
    GeolakeConfig.Source source = c.sources().get("vendor_a");
    assertThat(source.fields()).containsEntry("device_id", "maid").containsEntry("latitude", "latitude");
    assertThat(source.format()).isEqualTo(GeolakeConfig.SourceFormat.CSV);
  }

  @Test
  void unknownKeyNamesThePathAndTheKnownKeys() {
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("staging.lookbak-days=2")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Unknown config key 'staging.lookbak-days'")
        .hasMessageContaining("lookback-days");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("sources.pings.colour=red")))
        .hasMessageContaining("Unknown config key 'sources.pings.colour'");
  }

  @Test
  void wrongTypesNameThePathAndTheExpectedForm() {
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("staging.lookback-days=three")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'staging.lookback-days'")
        .hasMessageContaining("three")
        .hasMessageContaining("a whole number");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("staging.merge-mode=fast")))
        .hasMessageContaining("'staging.merge-mode'")
        .hasMessageContaining("copy-on-write, merge-on-read");
    assertThatThrownBy(
            () -> ConfigLoader.load(null, List.of("rules.event-time.future-tolerance=an hour")))
        .hasMessageContaining("'rules.event-time.future-tolerance'")
        .hasMessageContaining("ISO-8601 duration");
  }

  @Test
  void dataRetentionIsPerTableAndNoShorterThanTheRunStillReads() {
    GeolakeConfig config =
        ConfigLoader.load(null, List.of("maintenance.data-retention.raw.pings=P30D", "maintenance.data-retention.staging.pings=P5D"));
    assertThat(config.maintenance().dataRetention("raw", "pings")).contains(java.time.Duration.ofDays(30));
    assertThat(config.maintenance().dataRetention("staging", "pings")).contains(java.time.Duration.ofDays(5));
    assertThat(config.maintenance().dataRetention("raw", "rejects")).isEmpty();
    assertThat(ConfigLoader.load(null, List.of()).maintenance().dataRetention()).isEmpty();

    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("maintenance.data-retention.raw.ping=P30D")))
        .hasMessageContaining("'maintenance.data-retention.raw.ping'")
        .hasMessageContaining("raw.pings, raw.rejects");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("maintenance.data-retention.raw.pings=PT12H")))
        .hasMessageContaining("'maintenance.data-retention.raw.pings'")
        .hasMessageContaining("at least P1D");
    // Late rows merge into the lookback window's days: staging must keep them.
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("maintenance.data-retention.staging.pings=P4D")))
        .hasMessageContaining("'maintenance.data-retention.staging.pings'")
        .hasMessageContaining("at least P5D")
        .hasMessageContaining("staging.lookback-days (3)");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("maintenance.data-retention.consumption.stay_points=P30D")))
        .hasMessageContaining("'maintenance.data-retention.consumption.stay_points'")
        .hasMessageContaining("at least P33D");
  }

  @Test
  void semanticChecksNameTheKey() {
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("staging.lookback-days=-1")))
        .hasMessageContaining("'staging.lookback-days'")
        .hasMessageContaining("0 to 366");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("guard.max-reject-share=1.5")))
        .hasMessageContaining("'guard.max-reject-share'");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("staging.key=[event_ts]")))
        .hasMessageContaining("'staging.key'")
        .hasMessageContaining("device_id");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("sources.pings.fields.device_id=")))
        .hasMessageContaining("'sources.pings.fields.device_id'");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("sources.pings.fields.speed=v")))
        .hasMessageContaining("'sources.pings.fields.speed'");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("features.time-zone=Mars/Olympus")))
        .hasMessageContaining("'features.time-zone'")
        .hasMessageContaining("America/Mexico_City");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("features.home-work.work-to=8")))
        .hasMessageContaining("'features.home-work.work-to'");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("model.training-days=10")))
        .hasMessageContaining("'model.training-days'")
        .hasMessageContaining("holdout-days + horizon-days");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("model.algorithm=svm")))
        .hasMessageContaining("'model.algorithm'")
        .hasMessageContaining("gbt, random-forest, logistic-regression, pipeline");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("model.algorithm=pipeline")))
        .hasMessageContaining("'model.pipeline'")
        .hasMessageContaining("Pipeline.save");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("model.pipeline=/models/x-pipeline")))
        .hasMessageContaining("'model.pipeline'")
        .hasMessageContaining("it is gbt");
    assertThat(ConfigLoader.load(null, List.of("model.algorithm=pipeline", "model.pipeline=s3a://b/x-pipeline")).model().pipeline())
        .isEqualTo("s3a://b/x-pipeline");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("nonsense")))
        .hasMessageContaining("expected path.to.key=value");
  }

  @Test
  void missingOrBrokenFileIsAConfigError() throws IOException {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml"), List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no such file");
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "staging: [unclosed\n");
    assertThatThrownBy(() -> ConfigLoader.load(broken, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Cannot parse config file");
  }

  @Test
  void effectiveConfigRendersAsYamlWithSecretsMasked() {
    GeolakeConfig c =
        ConfigLoader.load(null, List.of("catalog.properties.jdbc.password=hunter2"));
    String yaml = ConfigLoader.toYaml(c);
    assertThat(yaml).contains("lookback-days: 3").contains("****").doesNotContain("hunter2");
    assertThat(c.catalog().properties()).isEqualTo(Map.of("jdbc.password", "hunter2"));
  }
}
