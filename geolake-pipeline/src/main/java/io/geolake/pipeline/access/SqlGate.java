package io.geolake.pipeline.access;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.CommandExecutionMode;

/**
 * The one way users' SQL reaches the catalog (geolake sql, serve's /api/sql): each statement is
 * analyzed without running, checked against the caller's role by {@link QueryPolicy}, narrowed to
 * the rows the role's {@link RowFilters} leave, and recorded in the {@link QueryAudit} — refused,
 * failed or run — before any of it runs.
 */
public final class SqlGate {
  private final SparkSession spark;
  private final GeolakeConfig.Access access;
  private final QueryPolicy policy;
  private final RowFilters rowFilters;
  private final QueryAudit audit;

  public SqlGate(LakehouseCatalog catalog, GeolakeConfig.Access access, QueryAudit audit) {
    this.spark = catalog.spark();
    this.access = access;
    this.policy = new QueryPolicy(catalog.name());
    this.rowFilters = new RowFilters(spark, catalog.name());
    this.audit = audit;
    rowFilters.validate(access.roles());
  }

  /** Who asks: a user name, the role they act in, and where from (cli, api). */
  public record Caller(String user, String role, String via) {}

  /** A statement the caller may run, recorded as running; report how it ended. */
  public final class Query {
    private final String id;
    private final String statement;
    private final List<String> tables;
    private final LogicalPlan filtered;

    /** @param filtered the analyzed plan with the role's row filters, or null when none applies */
    private Query(String id, String statement, List<String> tables, LogicalPlan filtered) {
      this.id = id;
      this.statement = statement;
      this.tables = tables;
      this.filtered = filtered;
    }

    /** The result; statements other than queries run here. */
    public Dataset<Row> rows() {
      return filtered == null ? spark.sql(statement) : Dataset.ofRows(spark, filtered);
    }

    /** The tables (layer.table) it reads. */
    public List<String> tables() {
      return tables;
    }

    public void finished(long rows) {
      audit.finished(id, rows);
    }

    public void failed(Throwable error) {
      audit.failed(id, String.valueOf(error.getMessage()));
    }
  }

  /**
   * @throws AccessDeniedException when the role may not run it (recorded as denied)
   * @throws IllegalArgumentException when it is not valid SQL, with Spark's message (recorded as
   *     failed)
   */
  public Query open(String statement, Caller caller) {
    GeolakeConfig.Role role = access.role(caller.role()).orElse(null);
    if (role == null) {
      String message = "Unknown role '" + caller.role() + "'; configured roles (access.roles): "
          + access.roles().stream().map(GeolakeConfig.Role::name).toList() + ".";
      audit.refused(caller.user(), caller.role(), caller.via(), statement, QueryAudit.Outcome.DENIED, message);
      throw new AccessDeniedException(message);
    }
    LogicalPlan analyzed;
    try {
      LogicalPlan parsed = spark.sessionState().sqlParser().parsePlan(statement);
      // Analysis resolves tables and columns without running anything, commands included.
      analyzed = spark.sessionState().executePlan(parsed, CommandExecutionMode.SKIP()).analyzed();
    } catch (Exception e) {
      String message = e instanceof AnalysisException a ? a.getSimpleMessage() : String.valueOf(e.getMessage());
      audit.refused(caller.user(), caller.role(), caller.via(), statement, QueryAudit.Outcome.FAILED, message);
      if (e instanceof AnalysisException) {
        throw new IllegalArgumentException("invalid SQL: " + message, e);
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(message, e);
    }
    List<String> tables;
    try {
      tables = policy.check(analyzed, role);
    } catch (AccessDeniedException e) {
      audit.refused(caller.user(), caller.role(), caller.via(), statement, QueryAudit.Outcome.DENIED, e.getMessage());
      throw e;
    }
    LogicalPlan filtered = rowFilters.apply(analyzed, role);
    return new Query(audit.started(caller.user(), caller.role(), caller.via(), statement, tables), statement, tables,
        filtered == analyzed ? null : filtered);
  }
}
