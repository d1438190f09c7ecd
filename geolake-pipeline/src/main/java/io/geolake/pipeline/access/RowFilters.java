package io.geolake.pipeline.access;

import io.geolake.core.config.ConfigException;
import io.geolake.core.config.GeolakeConfig;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.functions;
import scala.Function1;
import scala.runtime.AbstractPartialFunction;

/**
 * A role's row filters ({@code access.roles[].row-filters}), applied the way Lake Formation's data
 * filters are: every read of a filtered table in a statement — joined with itself, in a subquery or
 * CTE, at an older snapshot, branch or tag — yields only the rows meeting the role's condition.
 *
 * <p>The condition goes right above the table's relation in the analyzed plan, so nothing of the
 * statement sees the table's other rows; what the optimizer then does (push it into the Iceberg
 * scan, answer an aggregate from file statistics only when the filter allows) keeps its meaning.
 */
final class RowFilters {
  private final SparkSession spark;
  private final String catalogName;

  RowFilters(SparkSession spark, String catalogName) {
    this.spark = spark;
    this.catalogName = catalogName;
  }

  /**
   * Resolves every role's conditions against its tables' columns, so a typo fails when the lake
   * is opened, not when a user's query runs.
   *
   * @throws ConfigException naming the role, the table and Spark's reason
   */
  void validate(List<GeolakeConfig.Role> roles) {
    for (int i = 0; i < roles.size(); i++) {
      GeolakeConfig.Role role = roles.get(i);
      for (var filter : role.rowFilters().entrySet()) {
        try {
          spark.table(catalogName + "." + filter.getKey()).where(functions.expr(filter.getValue())).queryExecution().assertAnalyzed();
        } catch (Exception e) {
          if (!(e instanceof AnalysisException invalid)) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
          }
          throw new ConfigException("Invalid config value for 'access.roles[" + i + "] (" + role.name() + ").row-filters." + filter.getKey()
              + "'; expected a SQL condition over the table's columns, such as place_id IN ('store-12', 'store-14') (got '" + filter.getValue()
              + "': " + invalid.getSimpleMessage() + ")", e);
        }
      }
    }
  }

  /** The plan with each read of a table the role filters wrapped in the role's condition; the plan itself when there is none. */
  LogicalPlan apply(LogicalPlan analyzed, GeolakeConfig.Role role) {
    if (role.rowFilters().isEmpty()) {
      return analyzed;
    }
    // Bottom-up, so the relation under a new filter is not visited again; subqueries included.
    return analyzed.transformUpWithSubqueries(new AbstractPartialFunction<LogicalPlan, LogicalPlan>() {
      @Override
      public boolean isDefinedAt(LogicalPlan node) {
        return condition(node, role).isPresent();
      }

      @Override
      @SuppressWarnings("unchecked")
      public <A1 extends LogicalPlan, B1> B1 applyOrElse(A1 node, Function1<A1, B1> otherwise) {
        Optional<String> condition = condition(node, role);
        return condition.isPresent() ? (B1) filtered(node, condition.get()) : otherwise.apply(node);
      }
    });
  }

  private Optional<String> condition(LogicalPlan node, GeolakeConfig.Role role) {
    return TableRead.of(node, catalogName).filter(TableRead::readsRowsOf).flatMap(read -> role.rowFilter(read.table()));
  }

  /** Filter(condition, relation), resolved against this relation's own columns. */
  private LogicalPlan filtered(LogicalPlan relation, String condition) {
    Dataset<Row> rows = Dataset.ofRows(spark, relation);
    return rows.where(functions.expr(condition)).queryExecution().analyzed();
  }
}
