package io.geolake.core.config;

import io.geolake.core.schema.PingField;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks values that bind but make no sense, naming the key and the expected form. */
final class ConfigValidator {
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]*");

  private ConfigValidator() {}

  static void validate(GeolakeConfig config) {
    require(!config.data().isBlank(), "data", "a folder path or URI");
    require(config.spark().shufflePartitions() >= 1, "spark.shuffle-partitions", "a whole number >= 1");
    require(
        IDENTIFIER.matcher(config.catalog().name()).matches(),
        "catalog.name",
        "an identifier of lower-case letters, digits and _ starting with a letter");
    if (config.catalog().type() == GeolakeConfig.CatalogType.REST) {
      require(
          config.catalog().uri().matches("https?://\\S+"),
          "catalog.uri",
          "the REST catalog's http(s) URI when catalog.type is rest, such as https://glue.us-east-1.amazonaws.com/iceberg");
    }
    require(!config.sources().isEmpty(), "sources", "at least one source");
    config.sources().forEach(ConfigValidator::validateSource);

    GeolakeConfig.Staging staging = config.staging();
    require(!staging.key().isEmpty(), "staging.key", "a non-empty list of canonical fields");
    Set<String> seen = new HashSet<>();
    for (String column : staging.key()) {
      require(
          PingField.byColumn(column).isPresent() && seen.add(column),
          "staging.key",
          "distinct canonical fields from " + PingField.columns() + " (got '" + column + "')");
    }
    require(
        staging.key().contains(PingField.DEVICE_ID.column()),
        "staging.key",
        "a key that includes device_id (pings are always per device)");
    require(
        staging.lookbackDays() >= 0 && staging.lookbackDays() <= 366,
        "staging.lookback-days",
        "a whole number of days from 0 to 366");

    GeolakeConfig.Rules rules = config.rules();
    require(rules.accuracy().maxMetres() > 0, "rules.accuracy.max-metres", "a number > 0");
    require(
        !rules.eventTime().futureTolerance().isNegative(),
        "rules.event-time.future-tolerance",
        "a non-negative ISO-8601 duration such as PT1H");
    require(
        rules.speedJump().maxMetresPerSecond() > 0,
        "rules.speed-jump.max-metres-per-second",
        "a number > 0");
    GeolakeConfig.Features features = config.features();
    require(features.stayPoints().distanceMetres() > 0, "features.stay-points.distance-metres", "a number > 0");
    require(!features.stayPoints().time().isNegative(), "features.stay-points.time", "a non-negative ISO-8601 duration such as PT5M");
    boolean gapOk;
    try {
      gapOk = features.stayPoints().gapDuration() == null || !features.stayPoints().gapDuration().isNegative();
    } catch (java.time.format.DateTimeParseException e) {
      gapOk = false;
    }
    require(gapOk, "features.stay-points.gap", "none or an ISO-8601 duration such as PT12H (got '" + features.stayPoints().gap() + "')");
    require(features.h3Resolution() >= 0 && features.h3Resolution() <= 15, "features.h3-resolution", "a whole number from 0 to 15");
    require(features.presence().h3Resolution() >= 0 && features.presence().h3Resolution() <= 15, "features.presence.h3-resolution", "a whole number from 0 to 15");
    require(features.presence().k() >= 1, "features.presence.k", "a whole number >= 1");
    require(features.rollingDays() >= 1 && features.rollingDays() <= 366, "features.rolling-days", "a whole number of days from 1 to 366");
    GeolakeConfig.HomeWork homeWork = features.homeWork();
    require(homeWork.h3Resolution() >= 0 && homeWork.h3Resolution() <= 15, "features.home-work.h3-resolution", "a whole number from 0 to 15");
    for (var hour : Map.of("night-from", homeWork.nightFrom(), "night-to", homeWork.nightTo(), "work-from", homeWork.workFrom(), "work-to", homeWork.workTo()).entrySet()) {
      require(hour.getValue() >= 0 && hour.getValue() <= 24, "features.home-work." + hour.getKey(), "a local hour from 0 to 24");
    }
    require(homeWork.nightFrom() != homeWork.nightTo(), "features.home-work.night-to", "an hour other than night-from");
    require(homeWork.workFrom() < homeWork.workTo(), "features.home-work.work-to", "an hour after work-from");
    require(!features.pseudonymKey().isBlank(), "features.pseudonym-key", "a non-empty secret");
    GeolakeConfig.Model model = config.model();
    require(model.horizonDays() >= 1, "model.horizon-days", "a whole number of days >= 1");
    require(model.holdoutDays() >= 1, "model.holdout-days", "a whole number of days >= 1");
    require(
        model.trainingDays() > model.holdoutDays() + model.horizonDays(),
        "model.training-days",
        "more days than holdout-days + horizon-days (" + (model.holdoutDays() + model.horizonDays()) + ")");
    require(
        model.algorithm() != GeolakeConfig.Algorithm.PIPELINE || !model.pipeline().isBlank(),
        "model.pipeline",
        "the location of an unfitted Spark MLlib Pipeline saved with Pipeline.save (path or URI), since model.algorithm is pipeline");
    require(
        model.algorithm() == GeolakeConfig.Algorithm.PIPELINE || model.pipeline().isBlank(),
        "model.pipeline",
        "empty unless model.algorithm is pipeline (it is " + model.algorithm().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
            + ", which would ignore the pipeline)");
    require(model.maxIterations() >= 1, "model.max-iterations", "a whole number >= 1");
    require(model.maxDepth() >= 1 && model.maxDepth() <= 30, "model.max-depth", "a whole number from 1 to 30");
    require(model.minInstancesPerNode() >= 1, "model.min-instances-per-node", "a whole number >= 1");
    require(model.learningRate() > 0 && model.learningRate() <= 1, "model.learning-rate", "a number in (0, 1]");
    require(model.threshold() > 0 && model.threshold() < 1, "model.threshold", "a probability between 0 and 1 (exclusive)");
    require(model.promotionTolerance() >= 0, "model.promotion-tolerance", "a number >= 0");
    require(model.driftMaxPsi() > 0, "model.drift-max-psi", "a number > 0 (0.25 is the usual 'the population changed' line)");
    GeolakeConfig.Runs runs = config.runs();
    require(runs.heartbeat().compareTo(java.time.Duration.ofMillis(100)) >= 0, "runs.heartbeat", "an ISO-8601 duration of at least PT0.1S");
    require(
        runs.lockTimeout().compareTo(runs.heartbeat().multipliedBy(2)) > 0,
        "runs.lock-timeout",
        "an ISO-8601 duration longer than two heartbeats (" + runs.heartbeat().multipliedBy(2) + ")");
    require(runs.retry().maxAttempts() >= 1, "runs.retry.max-attempts", "a whole number >= 1 (1 = no retries)");
    require(!runs.retry().backoff().isNegative(), "runs.retry.backoff", "a non-negative ISO-8601 duration such as PT5S");
    require(runs.retry().maxBackoff().compareTo(runs.retry().backoff()) >= 0, "runs.retry.max-backoff", "an ISO-8601 duration >= runs.retry.backoff");
    validateQualityRules(config.quality().rules());
    GeolakeConfig.Alerts alerts = config.alerts();
    require(alerts.repeatAfter().compareTo(java.time.Duration.ZERO) > 0, "alerts.repeat-after", "a positive ISO-8601 duration such as PT6H");
    require(alerts.webhook().url().isBlank() || alerts.webhook().url().matches("https?://.+"), "alerts.webhook.url", "an http:// or https:// URL");
    require(alerts.email().smtpHost().isBlank() || !alerts.email().to().isEmpty(), "alerts.email.to", "at least one recipient address");
    require(alerts.email().smtpPort() > 0 && alerts.email().smtpPort() < 65536, "alerts.email.smtp-port", "a TCP port from 1 to 65535");
    require(alerts.sns().topicArn().isBlank() || alerts.sns().topicArn().startsWith("arn:"), "alerts.sns.topic-arn", "an SNS topic ARN (arn:aws:sns:region:account:name)");
    require(alerts.sla().scoresBy().isBlank() || alerts.sla().scoresBy().matches("([01]\\d|2[0-3]):[0-5]\\d"), "alerts.sla.scores-by", "a local time HH:mm such as 07:00");
    require(alerts.sla().daysAfter() >= 0, "alerts.sla.days-after", "a whole number of days >= 0");
    GeolakeConfig.Serve serve = config.serve();
    require(serve.schedule().isBlank() || serve.schedule().trim().split("\\s+").length >= 6, "serve.schedule", "a Quartz cron expression with seconds, e.g. \"0 30 5 * * ?\"");
    require(serve.daysAfter() >= 0, "serve.days-after", "a whole number of days >= 0");
    require(!serve.stableFor().isNegative(), "serve.stable-for", "a non-negative ISO-8601 duration such as PT5M");
    require(serve.poll().compareTo(java.time.Duration.ofMillis(100)) >= 0, "serve.poll", "an ISO-8601 duration of at least PT0.1S");
    require(serve.catchUpDays() >= 0, "serve.catch-up-days", "a whole number of days >= 0");
    require(serve.port() >= 0 && serve.port() < 65536, "serve.port", "a TCP port from 0 (off) to 65535");
    GeolakeConfig.Maintenance maintenance = config.maintenance();
    require(!maintenance.snapshotRetention().isNegative(), "maintenance.snapshot-retention", "a non-negative ISO-8601 duration such as P7D");
    require(maintenance.retainLast() >= 1, "maintenance.retain-last", "a whole number >= 1");
    // Younger unreferenced files may belong to a write still in progress (of another writer: runs
    // of this lake are excluded by the run lock); Iceberg's own default is three days.
    require(
        maintenance.orphanFileAge().compareTo(java.time.Duration.ofHours(1)) >= 0,
        "maintenance.orphan-file-age",
        "an ISO-8601 duration of at least PT1H such as P3D");
    require(
        maintenance.auditRetention().compareTo(java.time.Duration.ofDays(1)) >= 0,
        "maintenance.audit-retention",
        "an ISO-8601 duration of at least P1D such as P365D");
    validateDataRetention(config);
    require(
        maintenance.modelInputRetention() != null && maintenance.modelInputRetention().compareTo(java.time.Duration.ofDays(1)) >= 0,
        "maintenance.model-input-retention",
        "an ISO-8601 duration of at least P1D such as P365D");
    require(
        maintenance.schedule().isBlank() || maintenance.schedule().trim().split("\\s+").length >= 6,
        "maintenance.schedule",
        "a Quartz cron expression with seconds, e.g. \"0 0 4 ? * SUN\"");
    validateAccess(config.access());
    double share = config.guard().maxRejectShare();
    require(share >= 0 && share <= 1, "guard.max-reject-share", "a share from 0.0 to 1.0");
  }

  private static void validateQualityRules(java.util.List<GeolakeConfig.QualityRule> rules) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < rules.size(); i++) {
      GeolakeConfig.QualityRule rule = rules.get(i);
      String at = "quality.rules[" + i + "]";
      require(rule.name() != null && IDENTIFIER.matcher(rule.name()).matches(), at + ".name", "a rule name of lower-case letters, digits and _");
      require(names.add(rule.name()), at + ".name", "a name no other rule has (" + rule.name() + " is taken)");
      at = "quality.rules[" + i + "] (" + rule.name() + ")";
      java.util.Optional<io.geolake.core.schema.TableDefinition> table =
          io.geolake.core.schema.Tables.ALL.stream().filter(t -> t.qualifiedName().equals(rule.table())).findFirst();
      require(table.isPresent(), at + ".table", "one of " + io.geolake.core.schema.Tables.ALL.stream().map(t -> t.qualifiedName()).toList());
      require(rule.check() != null, at + ".check", "completeness, range, unique, freshness, row-count, quarantine-share or sql");
      require(rule.severity() != null, at + ".severity", "warn or error");
      java.util.List<String> columns = table.get().columnNames();
      switch (rule.check()) {
        case COMPLETENESS, RANGE, FRESHNESS ->
            require(rule.column() != null && columns.contains(rule.column()), at + ".column", "a column of " + rule.table() + ": " + columns);
        case UNIQUE ->
            require(rule.columns() != null && !rule.columns().isEmpty() && columns.containsAll(rule.columns()), at + ".columns",
                "a list of columns of " + rule.table() + ": " + columns);
        case SQL -> require(rule.predicate() != null && !rule.predicate().isBlank(), at + ".predicate", "a Spark SQL condition each row must meet");
        default -> { }
      }
      if (rule.check() == GeolakeConfig.QualityCheck.RANGE) {
        require(rule.lower() != null && rule.upper() != null && rule.lower() <= rule.upper(), at + ".lower", "lower and upper bounds, lower <= upper");
      }
      if (rule.check() == GeolakeConfig.QualityCheck.FRESHNESS || rule.check() == GeolakeConfig.QualityCheck.QUARANTINE_SHARE) {
        require(rule.max() != null, at + ".max", "the largest acceptable metric value");
      }
      if (rule.check() == GeolakeConfig.QualityCheck.ROW_COUNT) {
        require(rule.history() == null || rule.history() >= 3, at + ".history", "a number of earlier dates >= 3");
        require(rule.k() == null || rule.k() > 0, at + ".k", "a number > 0");
      }
      require(rule.min() == null || rule.max() == null || rule.min() <= rule.max(), at + ".min", "a value <= max");
    }
  }

  private static final Pattern TABLE_PATTERN = Pattern.compile("\\*|[a-z][a-z0-9_]*\\.(\\*|[a-z][a-z0-9_]*)");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private static void validateAccess(GeolakeConfig.Access access) {
    Set<String> roles = new java.util.LinkedHashSet<>();
    for (int i = 0; i < access.roles().size(); i++) {
      GeolakeConfig.Role role = access.roles().get(i);
      String at = "access.roles[" + i + "]";
      require(role.name() != null && IDENTIFIER.matcher(role.name()).matches(), at + ".name", "a role name of lower-case letters, digits and _");
      require(roles.add(role.name()), at + ".name", "a name no other role has (" + role.name() + " is taken)");
      for (String table : role.tables()) {
        require(TABLE_PATTERN.matcher(table).matches(), at + " (" + role.name() + ").tables", "*, layer.* or layer.table, e.g. consumption.* (got '" + table + "')");
      }
      validateRowFilters(role, at + " (" + role.name() + ").row-filters");
      validateColumnGrants(role, at + " (" + role.name() + ").columns");
      require(!(role.pseudonymized() && role.personalData()), at + " (" + role.name() + ").pseudonymized",
          "false on a role with personal-data: true, which reads those columns in clear (pseudonymized is for roles without it)");
    }
    require(roles.contains(access.cliRole()), "access.cli-role", "the name of a role in access.roles " + roles);
    Set<String> users = new HashSet<>();
    Set<String> tokens = new HashSet<>();
    for (int i = 0; i < access.users().size(); i++) {
      GeolakeConfig.User user = access.users().get(i);
      String at = "access.users[" + i + "]";
      require(!user.name().isBlank() && users.add(user.name()), at + ".name", "a user name no other user has");
      at = "access.users[" + i + "] (" + user.name() + ")";
      require(roles.contains(user.role()), at + ".role", "the name of a role in access.roles " + roles);
      require(SHA256_HEX.matcher(user.tokenSha256()).matches(), at + ".token-sha256",
          "the token's SHA-256 as 64 lower-case hex digits (geolake token prints it)");
      require(tokens.add(user.tokenSha256()), at + ".token-sha256", "a token no other user has");
    }
    GeolakeConfig.Oidc oidc = access.oidc();
    if (oidc.enabled()) {
      require(oidc.issuer().matches("https?://\\S+"), "access.oidc.issuer", "the provider's issuer URL, such as https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123");
      require(oidc.jwksUri().isBlank() || oidc.jwksUri().matches("https?://\\S+"), "access.oidc.jwks-uri", "an http(s) URL, or empty for the provider's discovery document's");
      require(!oidc.audience().isBlank(), "access.oidc.audience", "the app client id your tokens are issued for (their aud or client_id)");
      require(!oidc.userClaim().isBlank(), "access.oidc.user-claim", "a claim name such as email");
      require(!oidc.groupsClaim().isBlank(), "access.oidc.groups-claim", "a claim name such as groups (Cognito: cognito:groups)");
      require(!oidc.roles().isEmpty(), "access.oidc.roles", "at least one group: role entry, such as data-analysts: analyst");
      require(oidc.redirectUri().isBlank() || oidc.redirectUri().matches("https?://\\S+/auth/callback"), "access.oidc.redirect-uri",
          "the console's URL followed by /auth/callback, such as https://geolake.example.com/auth/callback, or empty");
      require(oidc.logoutUri().isBlank()
              || oidc.logoutUri().matches("https?://\\S+") && oidc.logoutUri().replace("{client_id}", "").replace("{return_to}", "").matches("[^{}]*"),
          "access.oidc.logout-uri",
          "an http(s) URL in which {client_id} and {return_to} are filled in (no other {...}), such as"
              + " https://<domain>.auth.<region>.amazoncognito.com/logout?client_id={client_id}&logout_uri={return_to}, or empty");
      oidc.roles().forEach((group, role) ->
          require(roles.contains(role), "access.oidc.roles." + group, "the name of a role in access.roles " + roles + " (got '" + role + "')"));
    }
  }

  private static final Pattern QUALIFIED_TABLE = Pattern.compile("[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*");

  /**
   * What can be checked without the tables: each filter names one table the role queries and has a
   * condition; SqlGate resolves the conditions against the tables' columns.
   */
  private static void validateRowFilters(GeolakeConfig.Role role, String at) {
    if (role.rowFilters().isEmpty()) {
      return;
    }
    // A statement other than a query reads and writes rows past the filter (DELETE, MERGE, CALL).
    require(!role.anyStatement(), at, "no row filters on a role with any-statement: true, whose DELETE, MERGE or CALL would reach the rows they hide");
    role.rowFilters().forEach((table, condition) -> {
      String key = at + "." + table;
      require(QUALIFIED_TABLE.matcher(table).matches() && role.mayQuery(table), key,
          "a table of the role's tables " + role.tables() + " written layer.table, e.g. consumption.visits");
      require(condition != null && !condition.isBlank(), key, "a SQL condition over the table's columns, such as place_id IN ('store-12', 'store-14')");
    });
  }

  /**
   * Column grants name tables of the role that geolake keeps, and columns those tables have; as
   * with row filters, a statement other than a query would reach the columns they leave out.
   */
  private static void validateColumnGrants(GeolakeConfig.Role role, String at) {
    if (role.columns().isEmpty()) {
      return;
    }
    require(!role.anyStatement(), at, "no column grants on a role with any-statement: true, whose statements would reach the other columns");
    role.columns().forEach((table, columns) -> {
      String key = at + "." + table;
      java.util.Optional<TableDefinition> kept =
          Tables.ALL.stream().filter(t -> t.qualifiedName().equals(table)).findFirst();
      require(kept.isPresent() && role.mayQuery(table), key,
          "a table of geolake's among the role's tables " + role.tables() + ", written layer.table, e.g. consumption.visits");
      List<String> known = kept.get().columns().stream().map(io.geolake.core.schema.Column::name).toList();
      require(!columns.isEmpty(), key, "at least one column of " + table + " " + known);
      for (String column : columns) {
        require(known.contains(column), key, "columns of " + table + " " + known + " (got '" + column + "')");
      }
    });
  }

  /**
   * Each named table exists and keeps its days at least as long as the daily run still reads them:
   * staging the lookback window late rows merge into, and the tables profiles read their window.
   */
  private static void validateDataRetention(GeolakeConfig config) {
    int lookback = config.staging().lookbackDays();
    int profiles = config.features().rollingDays() + lookback + 2;
    Map<String, Integer> minimumDays =
        Map.of(
            Tables.STAGING_PINGS.qualifiedName(), lookback + 2,
            Tables.STAY_POINTS.qualifiedName(), profiles,
            Tables.VISITS.qualifiedName(), profiles,
            Tables.DEVICE_DAY_PARTIALS.qualifiedName(), profiles);
    String tables = Tables.ALL.stream().map(TableDefinition::qualifiedName).collect(java.util.stream.Collectors.joining(", "));
    config.maintenance().dataRetention().forEach((layer, byTable) -> {
      require(byTable != null, "maintenance.data-retention." + layer, "a mapping of " + layer + "'s tables to ISO-8601 durations, such as pings: P30D");
      byTable.forEach((table, kept) -> {
        String key = "maintenance.data-retention." + layer + "." + table;
        String name = layer + "." + table;
        require(Tables.ALL.stream().anyMatch(t -> t.qualifiedName().equals(name)), key, "one of the lake's tables (" + tables + ")");
        int days = minimumDays.getOrDefault(name, 1);
        String why =
            name.equals(Tables.STAGING_PINGS.qualifiedName())
                ? ": staging.lookback-days (" + lookback + ") + 2, so the days late rows still merge into stay"
                : days > 1 ? ": features.rolling-days + staging.lookback-days + 2, so the days profiles read stay" : "";
        require(kept != null && kept.compareTo(java.time.Duration.ofDays(days)) >= 0, key, "an ISO-8601 duration of at least P" + days + "D" + why);
      });
    });
  }

  private static void validateSource(String name, GeolakeConfig.Source source) {
    String path = "sources." + name;
    require(IDENTIFIER.matcher(name).matches(), path, "a source name of lower-case letters, digits and _");
    require(
        source.csv().delimiter().length() == 1,
        path + ".csv.delimiter",
        "a single character (got '" + source.csv().delimiter() + "')");
    for (Map.Entry<String, String> field : source.fields().entrySet()) {
      require(
          PingField.byColumn(field.getKey()).isPresent(),
          path + ".fields." + field.getKey(),
          "a canonical field name from " + PingField.columns());
    }
    for (PingField field : PingField.values()) {
      if (field.required()) {
        String delivered = source.deliveredName(field);
        require(
            delivered != null && !delivered.isBlank(),
            path + ".fields." + field.column(),
            "the delivered column name of required field " + field.column());
      }
    }
  }

  private static void require(boolean ok, String key, String expected) {
    if (!ok) {
      throw new ConfigException("Invalid config value for '" + key + "'; expected " + expected);
    }
  }
}
