package io.geolake.pipeline.access;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.CommandExecutionMode;

/**
 * The one way users' SQL reaches the catalog (geolake sql, serve's /api/sql): each statement is
 * analyzed without running, checked against the caller's role by {@link QueryPolicy}, made to read
 * each table as the role sees it ({@link RoleViews}: row filters, pseudonyms), and recorded in the
 * {@link QueryAudit} — refused, failed or run — before any of it runs.
 */
public final class SqlGate {
  private final SparkSession spark;
  private final LakehouseCatalog catalog;
  private final GeolakeConfig.Access access;
  private final QueryPolicy policy;
  private final RoleViews views;
  private final QueryAudit audit;

  public SqlGate(LakehouseCatalog catalog, GeolakeConfig config, QueryAudit audit) {
    this.spark = catalog.spark();
    this.catalog = catalog;
    this.access = config.access();
    this.policy = new QueryPolicy(catalog.name());
    this.views = new RoleViews(spark, catalog.name(), config.features().pseudonymKey());
    this.audit = audit;
    views.validate(access.roles());
  }

  /** Who asks: a user name, the role they act in, and where from (cli, api). */
  public record Caller(String user, String role, String via) {}

  /** A statement the caller may run, recorded as running; report how it ended. */
  public final class Query {
    private final String id;
    private final String statement;
    private final List<String> tables;
    private final LogicalPlan asSeen;
    private final boolean command;
    /** For a command: the snapshots of geolake's tables before it ran, to say what it changed. */
    private Map<String, Long> before;

    /** @param asSeen the analyzed plan reading tables as the role sees them, or null when it reads them whole */
    private Query(String id, String statement, List<String> tables, LogicalPlan asSeen, boolean command) {
      this.id = id;
      this.statement = statement;
      this.tables = tables;
      this.asSeen = asSeen;
      this.command = command;
    }

    /** The result; statements other than queries run here. */
    public Dataset<Row> rows() {
      if (command && before == null) {
        before = keptSnapshots();
      }
      return asSeen == null ? spark.sql(statement) : Dataset.ofRows(spark, asSeen);
    }

    /**
     * After {@link #rows()} ran a command (DELETE, UPDATE, MERGE, INSERT, ...): one line per table of
     * geolake's it gave a new snapshot, with the table's rows before and after (Spark returns no
     * count for them), such as "staging.pings: 2 -> 1 rows (snapshot 123)". Empty for a query.
     */
    public List<String> changes() {
      if (before == null) {
        return List.of();
      }
      try {
        List<String> changes = new ArrayList<>();
        keptSnapshots().forEach((table, snapshot) -> {
          Long was = before.get(table);
          if (snapshot != null && !snapshot.equals(was)) {
            org.apache.iceberg.Table t = catalog.table(table);
            changes.add(table + ": " + (was == null ? "0" : rowsAt(t, was)) + " -> " + rowsAt(t, snapshot) + " rows (snapshot " + snapshot + ")");
          }
        });
        return changes;
      } catch (RuntimeException e) { // the statement ran: not knowing what it changed must not fail it
        return List.of("(cannot tell what it changed: " + e.getMessage() + ")");
      }
    }

    private static String rowsAt(org.apache.iceberg.Table table, long snapshot) {
      Snapshot s = table.snapshot(snapshot);
      return s == null ? "?" : s.summary().getOrDefault("total-records", "?");
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
    LogicalPlan asSeen;
    try {
      tables = policy.check(analyzed, role);
      asSeen = views.apply(analyzed, role);
    } catch (AccessDeniedException e) {
      audit.refused(caller.user(), caller.role(), caller.via(), statement, QueryAudit.Outcome.DENIED, e.getMessage());
      throw e;
    }
    return new Query(audit.started(caller.user(), caller.role(), caller.via(), statement, tables), statement, tables,
        asSeen == analyzed ? null : asSeen, analyzed instanceof Command && !QueryPolicy.onlyDescribes(analyzed));
  }

  /** The current snapshot of each of geolake's tables there is, by layer.table (null: none yet). */
  private Map<String, Long> keptSnapshots() {
    Map<String, Long> snapshots = new java.util.LinkedHashMap<>();
    for (TableDefinition table : Tables.ALL) {
      if (spark.catalog().tableExists(catalog.qualified(table))) { // none before the first run
        Snapshot current = catalog.table(table).currentSnapshot();
        snapshots.put(table.qualifiedName(), current == null ? null : current.snapshotId());
      }
    }
    return snapshots;
  }
}
