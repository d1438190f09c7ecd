package io.geolake.core.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.geolake.core.schema.PingField;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The whole geolake configuration, bound from YAML by {@link ConfigLoader}. Every key, its default
 * and its meaning are in {@code geolake-defaults.yaml} next to this class; that file is the
 * reference, and the README's config section is copied from it.
 */
public record GeolakeConfig(
    @JsonProperty("data") String data,
    @JsonProperty("landing") String landing,
    @JsonProperty("spark") Spark spark,
    @JsonProperty("catalog") Catalog catalog,
    @JsonProperty("sources") Map<String, Source> sources,
    @JsonProperty("staging") Staging staging,
    @JsonProperty("rules") Rules rules,
    @JsonProperty("features") Features features,
    @JsonProperty("model") Model model,
    @JsonProperty("guard") Guard guard,
    @JsonProperty("runs") Runs runs,
    @JsonProperty("quality") Quality quality,
    @JsonProperty("alerts") Alerts alerts,
    @JsonProperty("serve") Serve serve,
    @JsonProperty("maintenance") Maintenance maintenance,
    @JsonProperty("access") Access access) {

  /**
   * Who may read what with SQL: roles grant tables and personal data; serve's HTTP API users are
   * known by the SHA-256 of their token and act in one role each.
   */
  public record Access(
      @JsonProperty("cli-role") String cliRole,
      @JsonProperty("roles") List<Role> roles,
      @JsonProperty("users") List<User> users,
      @JsonProperty("oidc") Oidc oidc) {
    /** The role of that name, if configured. */
    public java.util.Optional<Role> role(String name) {
      return roles.stream().filter(r -> r.name().equals(name)).findFirst();
    }
  }

  /**
   * @param tables {@code *}, {@code layer.*} or {@code layer.table}: the tables the role may query
   * @param personalData whether it may read columns holding personal data in clear
   * @param anyStatement whether it may run statements other than queries (DDL, DML, SET, CALL) and
   *     read files by path
   * @param pseudonymized whether it reads columns holding personal data as their keyed pseudonyms
   *     (the consumption layer's) instead of being refused them; the loader refuses it together
   *     with personal-data, which reads them in clear
   * @param rowFilters {@code layer.table} to a SQL condition over its columns: the only rows of that
   *     table the role's statements see, wherever they read it (Lake Formation's row filters)
   */
  @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = RoleDeserializer.class)
  public record Role(
      @JsonProperty("name") String name,
      @JsonProperty("tables") List<String> tables,
      @JsonProperty("personal-data") Boolean personalData,
      @JsonProperty("any-statement") Boolean anyStatement,
      @JsonProperty("pseudonymized") Boolean pseudonymized,
      @JsonProperty("row-filters") Map<String, String> rowFilters,
      @JsonProperty("columns") Map<String, List<String>> columns) {
    public Role {
      tables = tables == null ? List.of() : List.copyOf(tables);
      personalData = personalData != null && personalData;
      anyStatement = anyStatement != null && anyStatement;
      pseudonymized = pseudonymized != null && pseudonymized;
      rowFilters = rowFilters == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rowFilters));
      java.util.Map<String, List<String>> granted = new java.util.LinkedHashMap<>();
      if (columns != null) {
        columns.forEach((table, names) -> granted.put(table, names == null ? List.of() : List.copyOf(names)));
      }
      columns = java.util.Collections.unmodifiableMap(granted);
    }

    /** A role without column grants. */
    public Role(String name, List<String> tables, Boolean personalData, Boolean anyStatement, Boolean pseudonymized, Map<String, String> rowFilters) {
      this(name, tables, personalData, anyStatement, pseudonymized, rowFilters, Map.of());
    }

    /** Whether the role may read a column of {@code layer.table}: all of them unless the table has column grants. */
    public boolean mayRead(String qualifiedTable, String column) {
      List<String> granted = columns.get(qualifiedTable);
      return granted == null || granted.contains(column);
    }

    /** The condition rows of {@code layer.table} must meet for this role, if it has one. */
    public java.util.Optional<String> rowFilter(String qualifiedTable) {
      return java.util.Optional.ofNullable(rowFilters.get(qualifiedTable));
    }

    /** Whether {@code layer.table} matches one of the role's table patterns. */
    public boolean mayQuery(String qualifiedTable) {
      String layer = qualifiedTable.substring(0, Math.max(0, qualifiedTable.indexOf('.')));
      return tables.stream().anyMatch(t -> t.equals("*") || t.equals(qualifiedTable) || t.equals(layer + ".*"));
    }
  }

  /** A user of serve's HTTP API: name, role, and the hex SHA-256 of the bearer token. */
  public record User(@JsonProperty("name") String name, @JsonProperty("role") String role, @JsonProperty("token-sha256") String tokenSha256) {}

  /**
   * Users signed in with an OpenID Connect provider: serve's API takes the provider's signed tokens
   * (JWT) and gives each user the role its groups map to.
   *
   * @param issuer the provider's issuer URL, as in its tokens' {@code iss}; empty means off
   * @param jwksUri where its signing keys are; empty means the {@code jwks_uri} of its discovery document
   * @param audience the app client id the tokens must be for ({@code aud}, or {@code client_id} in Cognito access tokens)
   * @param userClaim the claim naming the user in the audit
   * @param groupsClaim the claim listing the user's groups
   * @param roles group name to role name
   * @param clientSecret the app client's secret for the console's sign-in; empty for a public client (PKCE only)
   * @param redirectUri where the provider sends the browser back ({@code <console>/auth/callback});
   *     empty means http://{@code <Host of the request>}/auth/callback
   * @param logoutUri the provider's sign-out URL for providers whose discovery document names no
   *     {@code end_session_endpoint} (Amazon Cognito), with {@code {client_id}} and {@code {return_to}}
   *     filled in; empty means the discovery document's endpoint, or none
   */
  public record Oidc(
      @JsonProperty("issuer") String issuer,
      @JsonProperty("jwks-uri") String jwksUri,
      @JsonProperty("audience") String audience,
      @JsonProperty("user-claim") String userClaim,
      @JsonProperty("groups-claim") String groupsClaim,
      @JsonProperty("roles") Map<String, String> roles,
      @JsonProperty("client-secret") String clientSecret,
      @JsonProperty("redirect-uri") String redirectUri,
      @JsonProperty("logout-uri") String logoutUri) {
    public boolean enabled() {
      return !issuer.isBlank();
    }
  }

  /**
   * geolake maintain: what snapshot expiry keeps, which unreferenced files count as orphans, and
   * when geolake serve maintains the lake by itself.
   */
  public record Maintenance(
      @JsonProperty("snapshot-retention") Duration snapshotRetention,
      @JsonProperty("retain-last") int retainLast,
      @JsonProperty("orphan-file-age") Duration orphanFileAge,
      @JsonProperty("audit-retention") Duration auditRetention,
      @JsonProperty("data-retention") Map<String, Map<String, Duration>> dataRetention,
      @JsonProperty("model-input-retention") Duration modelInputRetention,
      @JsonProperty("schedule") String schedule) {

    public Maintenance {
      dataRetention = dataRetention == null ? Map.of() : dataRetention;
    }

    /** How long a table's days are kept ({@code data-retention.<layer>.<table>}); empty: for ever. */
    public java.util.Optional<Duration> dataRetention(String layer, String table) {
      return java.util.Optional.ofNullable(dataRetention.getOrDefault(layer, Map.of()).get(table));
    }
  }

  /** Where incidents are sent, how often they repeat, and the scores' deadline. */
  public record Alerts(
      @JsonProperty("repeat-after") Duration repeatAfter,
      @JsonProperty("log") Toggle log,
      @JsonProperty("webhook") Webhook webhook,
      @JsonProperty("email") Email email,
      @JsonProperty("sns") Sns sns,
      @JsonProperty("sla") Sla sla) {}

  public record Webhook(@JsonProperty("url") String url) {}

  public record Email(
      @JsonProperty("smtp-host") String smtpHost,
      @JsonProperty("smtp-port") int smtpPort,
      @JsonProperty("starttls") boolean starttls,
      @JsonProperty("user") String user,
      @JsonProperty("password") String password,
      @JsonProperty("from") String from,
      @JsonProperty("to") List<String> to) {}

  public record Sns(@JsonProperty("topic-arn") String topicArn, @JsonProperty("region") String region, @JsonProperty("endpoint") String endpoint) {}

  /** Scores for date D are due by {@code scoresBy} (local HH:mm in timeZone) on D + daysAfter. */
  public record Sla(@JsonProperty("scores-by") String scoresBy, @JsonProperty("days-after") int daysAfter, @JsonProperty("time-zone") java.time.ZoneId timeZone) {
    public boolean configured() {
      return !scoresBy.isBlank();
    }
  }

  /** geolake serve: schedule, landing watcher, catch-up, HTTP endpoint. */
  public record Serve(
      @JsonProperty("schedule") String schedule,
      @JsonProperty("time-zone") java.time.ZoneId timeZone,
      @JsonProperty("days-after") int daysAfter,
      @JsonProperty("watch") boolean watch,
      @JsonProperty("stable-for") Duration stableFor,
      @JsonProperty("poll") Duration poll,
      @JsonProperty("catch-up-days") int catchUpDays,
      @JsonProperty("port") int port) {}

  /** Data-quality rules the quality step checks before scoring. */
  public record Quality(@JsonProperty("rules") List<QualityRule> rules) {}

  /**
   * One rule: a metric computed over the run date's slice of a table, and the bounds it must keep.
   * Fields a check does not use stay null (the loader otherwise requires every key to be present).
   */
  @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = QualityRuleDeserializer.class)
  public record QualityRule(
      @JsonProperty("name") String name,
      @JsonProperty("table") String table,
      @JsonProperty("check") QualityCheck check,
      @JsonProperty("column") String column,
      @JsonProperty("columns") List<String> columns,
      @JsonProperty("lower") Double lower,
      @JsonProperty("upper") Double upper,
      @JsonProperty("predicate") String predicate,
      @JsonProperty("where") String where,
      @JsonProperty("min") Double min,
      @JsonProperty("max") Double max,
      @JsonProperty("history") Integer history,
      @JsonProperty("k") Double k,
      @JsonProperty("severity") Severity severity) {}

  public enum QualityCheck {
    @JsonProperty("completeness")
    COMPLETENESS,
    @JsonProperty("range")
    RANGE,
    @JsonProperty("unique")
    UNIQUE,
    @JsonProperty("freshness")
    FRESHNESS,
    @JsonProperty("row-count")
    ROW_COUNT,
    @JsonProperty("quarantine-share")
    QUARANTINE_SHARE,
    @JsonProperty("sql")
    SQL
  }

  public enum Severity {
    @JsonProperty("warn")
    WARN,
    @JsonProperty("error")
    ERROR
  }

  /** The run store: JDBC database of runs and their steps. */
  public record Runs(
      @JsonProperty("uri") String uri,
      @JsonProperty("user") String user,
      @JsonProperty("password") String password,
      @JsonProperty("heartbeat") Duration heartbeat,
      @JsonProperty("lock-timeout") Duration lockTimeout,
      @JsonProperty("retry") Retry retry) {}

  /** Retries of a step that failed with a transient error. */
  public record Retry(
      @JsonProperty("max-attempts") int maxAttempts,
      @JsonProperty("backoff") Duration backoff,
      @JsonProperty("max-backoff") Duration maxBackoff) {}

  public record Spark(
      @JsonProperty("master") String master,
      @JsonProperty("shuffle-partitions") int shufflePartitions,
      @JsonProperty("conf") Map<String, String> conf) {}

  public record Catalog(
      @JsonProperty("name") String name,
      @JsonProperty("type") CatalogType type,
      @JsonProperty("uri") String uri,
      @JsonProperty("warehouse") String warehouse,
      @JsonProperty("table-location") TableLocation tableLocation,
      @JsonProperty("properties") Map<String, String> properties) {}

  public enum CatalogType {
    @JsonProperty("jdbc")
    JDBC,
    @JsonProperty("hadoop")
    HADOOP,
    /** An Iceberg REST catalog: AWS Glue's Iceberg endpoint, S3 Tables, Polaris, Nessie, Unity. */
    @JsonProperty("rest")
    REST
  }

  /** Who places a new table's files in a REST catalog. */
  public enum TableLocation {
    /** geolake, under {@code <data>/warehouse/<layer>/<table>} (AWS Glue needs a location). */
    @JsonProperty("data")
    DATA,
    /** The catalog server (S3 Tables and catalogs with managed storage refuse a given one). */
    @JsonProperty("catalog")
    CATALOG
  }

  public record Source(
      @JsonProperty("path") String path,
      @JsonProperty("format") SourceFormat format,
      @JsonProperty("csv") Csv csv,
      @JsonProperty("fields") Map<String, String> fields) {

    /** Delivered column name for a canonical field, or null when the field is not mapped. */
    public String deliveredName(PingField field) {
      return fields.get(field.column());
    }
  }

  public enum SourceFormat {
    @JsonProperty("auto")
    AUTO,
    @JsonProperty("csv")
    CSV,
    @JsonProperty("json")
    JSON,
    @JsonProperty("parquet")
    PARQUET
  }

  public record Csv(@JsonProperty("delimiter") String delimiter) {}

  public record Staging(
      @JsonProperty("key") List<String> key,
      @JsonProperty("lookback-days") int lookbackDays,
      @JsonProperty("too-late-policy") TooLatePolicy tooLatePolicy,
      @JsonProperty("merge-mode") MergeMode mergeMode,
      @JsonProperty("bloom-filter") boolean bloomFilter) {}

  public enum TooLatePolicy {
    @JsonProperty("quarantine")
    QUARANTINE,
    @JsonProperty("merge")
    MERGE
  }

  public enum MergeMode {
    @JsonProperty("copy-on-write")
    COPY_ON_WRITE("copy-on-write"),
    @JsonProperty("merge-on-read")
    MERGE_ON_READ("merge-on-read");

    private final String icebergValue;

    MergeMode(String icebergValue) {
      this.icebergValue = icebergValue;
    }

    /** Value of Iceberg's write.merge.mode table property. */
    public String icebergValue() {
      return icebergValue;
    }
  }

  public record Rules(
      @JsonProperty("placeholder-device-id") PlaceholderDeviceId placeholderDeviceId,
      @JsonProperty("accuracy") Accuracy accuracy,
      @JsonProperty("null-island") Toggle nullIsland,
      @JsonProperty("event-time") EventTime eventTime,
      @JsonProperty("speed-jump") SpeedJump speedJump) {}

  public record Toggle(@JsonProperty("enabled") boolean enabled) {}

  /** Device ids that many devices share: all zeros, and the listed ones (compared ignoring case). */
  public record PlaceholderDeviceId(@JsonProperty("enabled") boolean enabled, @JsonProperty("values") List<String> values) {
    public PlaceholderDeviceId {
      values = values == null ? List.of() : List.copyOf(values);
    }
  }

  public record Accuracy(
      @JsonProperty("enabled") boolean enabled, @JsonProperty("max-metres") double maxMetres) {}

  public record EventTime(
      @JsonProperty("not-before") Instant notBefore,
      @JsonProperty("future-tolerance") Duration futureTolerance) {}

  public record SpeedJump(
      @JsonProperty("enabled") boolean enabled,
      @JsonProperty("max-metres-per-second") double maxMetresPerSecond) {}

  public record Guard(@JsonProperty("max-reject-share") double maxRejectShare) {}

  public record Features(
      @JsonProperty("stay-points") StayPoints stayPoints,
      @JsonProperty("h3-resolution") int h3Resolution,
      @JsonProperty("presence") Presence presence,
      @JsonProperty("rolling-days") int rollingDays,
      @JsonProperty("time-zone") java.time.ZoneId timeZone,
      @JsonProperty("home-work") HomeWork homeWork,
      @JsonProperty("places") Places places,
      @JsonProperty("pseudonym-key") String pseudonymKey) {}

  /** Local hours (0-24) of the night and of weekday work, and the H3 cell that makes a location. */
  public record HomeWork(
      @JsonProperty("h3-resolution") int h3Resolution,
      @JsonProperty("night-from") int nightFrom,
      @JsonProperty("night-to") int nightTo,
      @JsonProperty("work-from") int workFrom,
      @JsonProperty("work-to") int workTo) {}

  public record Places(@JsonProperty("geofences") String geofences) {
    public boolean configured() {
      return !geofences.isBlank();
    }
  }

  public record Model(
      @JsonProperty("horizon-days") int horizonDays,
      @JsonProperty("training-days") int trainingDays,
      @JsonProperty("holdout-days") int holdoutDays,
      @JsonProperty("algorithm") Algorithm algorithm,
      @JsonProperty("pipeline") String pipeline,
      @JsonProperty("max-iterations") int maxIterations,
      @JsonProperty("max-depth") int maxDepth,
      @JsonProperty("min-instances-per-node") int minInstancesPerNode,
      @JsonProperty("learning-rate") double learningRate,
      @JsonProperty("threshold") double threshold,
      @JsonProperty("promotion-metric") PromotionMetric promotionMetric,
      @JsonProperty("promotion-tolerance") double promotionTolerance,
      @JsonProperty("drift-max-psi") double driftMaxPsi,
      @JsonProperty("seed") long seed,
      @JsonProperty("schedule") String schedule) {}

  /** The hold-out metric a new version of model X must not be worse at than the live one. */
  public enum PromotionMetric {
    @JsonProperty("auc-roc")
    AUC_ROC("AUC-ROC", true),
    @JsonProperty("auc-pr")
    AUC_PR("AUC-PR", true),
    @JsonProperty("log-loss")
    LOG_LOSS("log-loss", false);

    private final String label;
    private final boolean higherIsBetter;

    PromotionMetric(String label, boolean higherIsBetter) {
      this.label = label;
      this.higherIsBetter = higherIsBetter;
    }

    /** As the model listings print it. */
    public String label() {
      return label;
    }

    public boolean higherIsBetter() {
      return higherIsBetter;
    }
  }

  public enum Algorithm {
    @JsonProperty("gbt")
    GBT,
    @JsonProperty("random-forest")
    RANDOM_FOREST,
    @JsonProperty("logistic-regression")
    LOGISTIC_REGRESSION,
    /** An unfitted MLlib Pipeline of the user's, saved at model.pipeline. */
    @JsonProperty("pipeline")
    PIPELINE
  }

  public record Presence(@JsonProperty("h3-resolution") int h3Resolution, @JsonProperty("k") int k) {}

  public record StayPoints(
      @JsonProperty("distance-metres") double distanceMetres,
      @JsonProperty("time") Duration time,
      @JsonProperty("gap") String gap) {

    /** The gap threshold, or null for no limit. */
    public Duration gapDuration() {
      return gap.equalsIgnoreCase("none") ? null : Duration.parse(gap);
    }
  }

  /**
   * Binds a record whose optional fields may be absent (null), still refusing unknown keys and
   * wrong types; the loader's own mapper requires every key to be present.
   */
  abstract static class OptionalFieldsDeserializer<T> extends com.fasterxml.jackson.databind.JsonDeserializer<T> {
    @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = com.fasterxml.jackson.databind.JsonDeserializer.None.class)
    private interface Plain {}

    private final Class<T> type;
    private final com.fasterxml.jackson.databind.ObjectMapper lenient;

    OptionalFieldsDeserializer(Class<T> type) {
      this.type = type;
      this.lenient =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
              .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              .addMixIn(type, Plain.class); // without it, binding would come back here
    }

    @Override
    public T deserialize(com.fasterxml.jackson.core.JsonParser parser, com.fasterxml.jackson.databind.DeserializationContext context)
        throws java.io.IOException {
      return lenient.treeToValue(parser.readValueAsTree(), type);
    }
  }

  static final class QualityRuleDeserializer extends OptionalFieldsDeserializer<QualityRule> {
    QualityRuleDeserializer() {
      super(QualityRule.class);
    }
  }

  static final class RoleDeserializer extends OptionalFieldsDeserializer<Role> {
    RoleDeserializer() {
      super(Role.class);
    }
  }
}
