package io.geolake.pipeline.quality;

import io.geolake.core.config.GeolakeConfig.QualityCheck;
import io.geolake.core.config.GeolakeConfig.QualityRule;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import java.time.LocalDate;
import java.util.stream.Collectors;

/** Compiles a rule to a Spark SQL aggregate over its table, and says in words what it measures. */
final class RuleSql {
  private RuleSql() {}

  static TableDefinition table(QualityRule rule) {
    return Tables.ALL.stream().filter(t -> t.qualifiedName().equals(rule.table())).findFirst().orElseThrow();
  }

  /** The rows of the run date the rule looks at: its own where, else the table's date column, else all. */
  static String slice(QualityRule rule, LocalDate date) {
    if (rule.where() != null && !rule.where().isBlank()) {
      return rule.where().replace("{date}", date.toString());
    }
    for (String column : new String[] {"_ingest_date", "feature_date", "logical_date"}) {
      if (table(rule).columnNames().contains(column)) {
        return column + " = DATE '" + date + "'";
      }
    }
    return "true";
  }

  /** One aggregate expression giving the metric as a double (null when there is nothing to measure). */
  static String metric(QualityRule rule, LocalDate date) {
    String column = rule.column() == null ? null : quote(rule.column());
    return switch (rule.check()) {
      case COMPLETENESS -> "avg(CASE WHEN " + column + " IS NULL THEN 0.0D ELSE 1.0D END)";
      case RANGE -> "avg(CASE WHEN " + column + " BETWEEN " + rule.lower() + " AND " + rule.upper() + " THEN 1.0D ELSE 0.0D END) FILTER (WHERE "
          + column + " IS NOT NULL)";
      case UNIQUE -> "CAST(count(*) - count(DISTINCT struct(" + rule.columns().stream().map(RuleSql::quote).collect(Collectors.joining(", "))
          + ")) AS DOUBLE)";
      case FRESHNESS -> "(CAST(TIMESTAMP '" + date.plusDays(1) + "T00:00:00Z' AS DOUBLE) - CAST(max(" + column + ") AS DOUBLE)) / 3600.0D";
      case ROW_COUNT -> "CAST(count(*) AS DOUBLE)";
      case SQL -> "CAST(count_if(NOT coalesce((" + rule.predicate() + "), false)) AS DOUBLE)";
      case QUARANTINE_SHARE -> throw new IllegalArgumentException("quarantine-share is measured across two tables");
    };
  }

  /** What the metric is, for ops.quality_results.detail and messages. */
  static String describe(QualityRule rule, String slice, long rows) {
    String of = rows + " rows of " + rule.table() + " where " + slice;
    return switch (rule.check()) {
      case COMPLETENESS -> "share of the " + of + " with " + rule.column() + " set";
      case RANGE -> "share of the " + of + " with " + rule.column() + " set that lie in [" + rule.lower() + ", " + rule.upper() + "]";
      case UNIQUE -> "rows minus distinct (" + String.join(", ", rule.columns()) + ") among the " + of;
      case FRESHNESS -> "hours from the latest " + rule.column() + " of the " + of + " to the end of the day";
      case ROW_COUNT -> "rows of " + rule.table() + " where " + slice;
      case SQL -> "rows of the " + of + " for which (" + rule.predicate() + ") is not true";
      case QUARANTINE_SHARE -> "rows quarantined / rows delivered";
    };
  }

  static Double defaultMin(QualityCheck check) {
    return check == QualityCheck.COMPLETENESS || check == QualityCheck.RANGE ? 1.0 : null;
  }

  static Double defaultMax(QualityCheck check) {
    return check == QualityCheck.UNIQUE || check == QualityCheck.SQL ? 0.0 : null;
  }

  private static String quote(String column) {
    return "`" + column.replace("`", "``") + "`";
  }
}
