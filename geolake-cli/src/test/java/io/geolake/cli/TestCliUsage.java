package io.geolake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.cli.InProcessGeolake.Result;
import org.junit.jupiter.api.Test;

/** Usage and config errors: exit code 2 and a message naming what to fix, before any Spark work. */
class TestCliUsage {
  @Test
  void helpListsTheCommands() {
    Result r = InProcessGeolake.run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("demo", "generate", "run", "runs", "backfill", "serve", "train", "maintain", "models", "tables", "sql", "audit", "incidents", "token", "config");
  }

  /**
   * The command list shows only the first line of each command's description: it has to be a
   * whole sentence, not the start of one cut off mid-clause.
   */
  @Test
  void theCommandListSumsUpEveryCommandInAWholeSentence() {
    java.util.Map<String, String> summaries = new java.util.TreeMap<>();
    collectSummaries(new picocli.CommandLine(new Main()), summaries);
    assertThat(summaries).containsKeys("geolake revert", "geolake serve", "geolake models promote");
    assertThat(summaries).allSatisfy((command, summary) -> assertThat(summary).as(command).endsWith(".").hasSizeLessThanOrEqualTo(110));
  }

  private static void collectSummaries(picocli.CommandLine command, java.util.Map<String, String> summaries) {
    for (picocli.CommandLine sub : command.getSubcommands().values()) {
      String[] header = sub.getCommandSpec().usageMessage().header();
      String[] description = sub.getCommandSpec().usageMessage().description();
      summaries.put(sub.getCommandSpec().qualifiedName(), header.length > 0 ? header[0] : description.length > 0 ? description[0] : "");
      collectSummaries(sub, summaries);
    }
  }

  @Test
  void deviceDataNeedsARoleThatReadsTheWholeLakeWithPersonalData(@org.junit.jupiter.api.io.TempDir java.nio.file.Path data) {
    String roles = "access.roles=[{name: admin, tables: ['*'], personal-data: true, any-statement: true},"
        + " {name: staff, tables: [staging.*, consumption.*], personal-data: true},"
        + " {name: lean, tables: ['*'], personal-data: true, columns: {staging.pings: [device_id, event_ts]}}]";
    for (String role : java.util.List.of("staff", "lean")) {
      Result r = InProcessGeolake.run("device-data", "--data", data.toString(), "--set", roles, "--role", role, "--device-id", "maid-1", "--out", data.resolve("out").toString());
      assertThat(r.code()).as(role).isEqualTo(ExitCodes.ACCESS_DENIED);
      assertThat(r.err()).contains("Role " + role + " may not read a device's data: that needs a role that reads every table whole");
    }
    assertThat(data.resolve("out")).doesNotExist();
  }

  @Test
  void tokenPrintsATokenOnceAndTheEntryHoldingItsHash() {
    Result r = InProcessGeolake.run("token", "--user", "ana", "--role", "analyst");
    assertThat(r.code()).as(r.err()).isZero();
    String token = r.out().lines().skip(1).findFirst().orElseThrow().trim();
    assertThat(token).startsWith("glk_").hasSize(47);
    assertThat(r.out()).contains("- {name: ana, role: analyst, token-sha256: " + io.geolake.core.access.ApiTokens.sha256(token) + "}");
    Result unknown = InProcessGeolake.run("token", "--user", "ana", "--role", "boss");
    assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("Unknown role 'boss' for --role; roles in access.roles: [admin, engineer, analyst]");
  }

  @Test
  void aDataFolderUriIsKeptWholeAndNeedsSharedCatalogAndRunStore() {
    Result r = InProcessGeolake.run("runs", "--data", "s3a://bucket/lake");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("'catalog.uri'", "(data is s3a://bucket/lake)");
    Result shared = InProcessGeolake.run("config", "--data", "s3a://bucket/lake", "--set", "catalog.uri=jdbc:postgresql://db/lake", "--set", "runs.uri=jdbc:postgresql://db/lake");
    assertThat(shared.code()).as(shared.err()).isZero();
    assertThat(shared.out()).contains("data: s3a://bucket/lake");
  }

  @Test
  void orphanFileAgeUnderAnHourIsRefusedBeforeAnythingIsDeleted() {
    Result r = InProcessGeolake.run("maintain", "--set", "maintenance.orphan-file-age=PT1M");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("maintenance.orphan-file-age", "at least PT1H");
  }

  @Test
  void missingDateIsAUsageError() {
    Result r = InProcessGeolake.run("run");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Missing required option: '--date=YYYY-MM-DD'");
  }

  @Test
  void malformedDateIsAUsageError() {
    Result r = InProcessGeolake.run("run", "--date", "2024-13-01");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--date");
  }

  @Test
  void unknownConfigKeyIsAConfigError() {
    Result r = InProcessGeolake.run("config", "--set", "staging.lookbak-days=2");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("Unknown config key 'staging.lookbak-days'");
  }

  @Test
  void wrongTypeNamesKeyAndExpectedForm() {
    Result r = InProcessGeolake.run("run", "--date", "2024-05-06", "--set", "staging.lookback-days=three");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("'staging.lookback-days'", "a whole number");
  }

  @Test
  void configPrintsTheEffectiveConfig() {
    Result r = InProcessGeolake.run("config", "--set", "staging.lookback-days=5", "--set", "alerts.webhook.url=https://hooks.example.com/services/T0/B0/secret",
        "--set", "alerts.email.password=hunter2", "--set", "access.oidc.client-secret=s3cr3t-of-the-app");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("lookback-days: 5", "max-reject-share: 0.05", "https://hooks.example.com/****", "client-secret: '****'");
    assertThat(r.out()).doesNotContain("B0/secret", "hunter2", "s3cr3t-of-the-app");
  }

  @Test
  void backfillRangeBackwardsIsAUsageError() {
    Result r = InProcessGeolake.run("backfill", "--from", "2024-05-08", "--to", "2024-05-06");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--to 2024-05-06 is before --from 2024-05-08");
  }

  @Test
  void serveRefusesABadScheduleNamingTheKey() {
    Result r = InProcessGeolake.run("serve", "--set", "serve.schedule=0 61 * * * ?");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("'serve.schedule'", "Quartz cron expression", "0 61 * * * ?");
    Result training = InProcessGeolake.run("serve", "--set", "model.schedule=every monday");
    assertThat(training.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(training.err()).contains("'model.schedule'", "Quartz cron expression", "0 0 7 ? * MON", "every monday");
  }

  @Test
  void badGeneratorOptionsAreUsageErrors() {
    assertThat(InProcessGeolake.run("generate", "--formats", "xml").code()).isEqualTo(ExitCodes.USAGE);
    Result r = InProcessGeolake.run("generate", "--fault-rate", "gremlins=0.1");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("gremlins", "late");
  }
}
