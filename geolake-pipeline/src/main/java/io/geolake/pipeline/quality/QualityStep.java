package io.geolake.pipeline.quality;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.GeolakeConfig.QualityCheck;
import io.geolake.core.config.GeolakeConfig.QualityRule;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;

/**
 * The data-quality gate of a run: checks every rule of {@code quality.rules} on the run date's
 * data — one aggregate query per table and slice, so a table is scanned once whatever the number
 * of rules — appends the outcomes to ops.quality_results and, if an error-severity rule failed,
 * throws {@link QualityGateException} so that scoring never runs on bad data.
 *
 * <p>Rules compile to Spark SQL rather than going through Amazon Deequ: Deequ 2.0.7 runs on Spark
 * 3.5 but is a Scala API with default arguments and Options that reads poorly from Java, its
 * anomaly detection keeps its own metrics repository, and custom predicates and a per-date slice
 * are one line of SQL each.
 */
public final class QualityStep {
  private final LakehouseCatalog catalog;
  private final List<QualityRule> rules;

  public QualityStep(LakehouseCatalog catalog, GeolakeConfig config) {
    this.catalog = catalog;
    this.rules = config.quality().rules();
  }

  public QualityResult execute(LocalDate date, String runId) {
    catalog.spark().sparkContext().setJobDescription("geolake quality " + date);
    Map<QualityRule, Measured> measured = measure(date);
    List<RuleOutcome> outcomes = new ArrayList<>();
    for (QualityRule rule : rules) {
      outcomes.add(judge(rule, measured.get(rule), date));
    }
    QualityResults.append(catalog, date, runId, outcomes);
    QualityResult result = new QualityResult(date, outcomes);
    if (outcomes.stream().anyMatch(RuleOutcome::failedError)) {
      throw new QualityGateException(result);
    }
    return result;
  }

  private record Measured(Double metric, String detail) {}

  /** Every rule's metric: rules on the same table and slice share one query. */
  private Map<QualityRule, Measured> measure(LocalDate date) {
    Map<QualityRule, Measured> measured = new LinkedHashMap<>();
    Map<String, List<QualityRule>> byTableAndSlice = new LinkedHashMap<>();
    for (QualityRule rule : rules) {
      if (rule.check() == QualityCheck.QUARANTINE_SHARE) {
        measured.put(rule, quarantineShare(date));
      } else {
        byTableAndSlice.computeIfAbsent(rule.table() + "\u0000" + RuleSql.slice(rule, date), k -> new ArrayList<>()).add(rule);
      }
    }
    for (List<QualityRule> group : byTableAndSlice.values()) {
      QualityRule first = group.get(0);
      String slice = RuleSql.slice(first, date);
      StringBuilder select = new StringBuilder("SELECT count(*)");
      for (QualityRule rule : group) {
        select.append(", ").append(RuleSql.metric(rule, date));
      }
      select.append(" FROM ").append(catalog.qualified(RuleSql.table(first))).append(" WHERE ").append(slice);
      Row row;
      try {
        row = catalog.spark().sql(select.toString()).first();
      } catch (RuntimeException e) {
        throw new io.geolake.pipeline.run.DataException("Data-quality rule(s) " + group.stream().map(QualityRule::name).toList()
            + " on " + first.table() + " cannot be computed (" + e.getMessage().lines().findFirst().orElse("") + "); check their column, predicate or where in quality.rules.");
      }
      long rows = row.getLong(0);
      for (int i = 0; i < group.size(); i++) {
        QualityRule rule = group.get(i);
        Double metric = row.isNullAt(i + 1) ? null : ((Number) row.get(i + 1)).doubleValue();
        measured.put(rule, new Measured(metric, RuleSql.describe(rule, slice, rows)));
      }
    }
    return measured;
  }

  private Measured quarantineShare(LocalDate date) {
    String day = "_ingest_date = DATE '" + date + "'";
    Row row =
        catalog.spark().sql(
            "SELECT (SELECT count(*) FROM " + catalog.qualified(Tables.STAGING_QUARANTINE) + " WHERE " + day + "), (SELECT count(*) FROM "
                + catalog.qualified(Tables.RAW_PINGS) + " WHERE " + day + ")").first();
    long quarantined = row.getLong(0);
    long delivered = row.getLong(1);
    return new Measured(delivered == 0 ? null : (double) quarantined / delivered,
        quarantined + " of " + delivered + " rows delivered on " + date + " quarantined");
  }

  private RuleOutcome judge(QualityRule rule, Measured measured, LocalDate date) {
    Double lower = rule.min() != null ? rule.min() : RuleSql.defaultMin(rule.check());
    Double upper = rule.max() != null ? rule.max() : RuleSql.defaultMax(rule.check());
    String detail = measured.detail();
    if (rule.check() == QualityCheck.ROW_COUNT) {
      List<Double> history = history(rule, date);
      Optional<RowCountBaseline> baseline = RowCountBaseline.of(history, rule.k() == null ? 3.0 : rule.k());
      if (baseline.isPresent()) {
        lower = lower == null ? baseline.get().lower() : Math.max(lower, baseline.get().lower());
        upper = upper == null ? baseline.get().upper() : Math.min(upper, baseline.get().upper());
        detail += String.format(Locale.ROOT, "; median of the last %d dates %.0f, MAD %.0f", history.size(), baseline.get().median(), baseline.get().mad());
      } else {
        detail += "; " + history.size() + " earlier date(s) known, " + RowCountBaseline.MIN_HISTORY + " needed for the anomaly check";
      }
    }
    Double metric = measured.metric();
    boolean passed;
    if (metric == null) {
      passed = rule.check() != QualityCheck.FRESHNESS; // nothing to measure: vacuous, except "is the data fresh?"
      detail += metric == null && !passed ? " (no rows: nothing arrived)" : " (no rows)";
    } else {
      passed = (lower == null || metric >= lower - 1e-9) && (upper == null || metric <= upper + 1e-9);
    }
    return new RuleOutcome(rule.name(), rule.table(), rule.check().name().toLowerCase(Locale.ROOT).replace('_', '-'),
        rule.severity().name().toLowerCase(Locale.ROOT), metric, lower, upper, passed, detail);
  }

  /** The rule's metric on the latest earlier dates (the last check of each date), newest first. */
  private List<Double> history(QualityRule rule, LocalDate date) {
    int dates = rule.history() == null ? 14 : rule.history();
    List<Row> rows =
        catalog.spark().sql(
            "SELECT logical_date, max_by(metric, checked_at) AS metric FROM " + catalog.qualified(Tables.QUALITY_RESULTS)
                + " WHERE rule = '" + rule.name().replace("'", "''") + "' AND logical_date < DATE '" + date + "' AND metric IS NOT NULL"
                + " GROUP BY logical_date ORDER BY logical_date DESC LIMIT " + dates).collectAsList();
    return rows.stream().map(r -> r.getDouble(1)).toList();
  }
}
