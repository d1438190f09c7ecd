package io.geolake.pipeline.access;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Column;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.sql.catalyst.analysis.ResolvedIdentifier;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.CallMethodViaReflection;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.DescribeRelation;
import org.apache.spark.sql.catalyst.plans.logical.Distinct;
import org.apache.spark.sql.catalyst.plans.logical.DropTable;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.ReplaceTable;
import org.apache.spark.sql.catalyst.plans.logical.ReplaceTableAsSelect;
import org.apache.spark.sql.catalyst.plans.logical.ScriptTransformation;
import org.apache.spark.sql.catalyst.plans.logical.SetOperation;
import org.apache.spark.sql.catalyst.plans.logical.ShowColumns;
import org.apache.spark.sql.catalyst.plans.logical.ShowNamespaces;
import org.apache.spark.sql.catalyst.plans.logical.ShowTables;
import org.apache.spark.sql.catalyst.plans.logical.Union;
import scala.collection.JavaConverters;

/**
 * Decides whether a role may run an analyzed Spark plan, the way Lake Formation grants tables and
 * columns: every table the plan reads must be granted to the role, a column holding personal data
 * in clear may not appear anywhere in the plan — result, filter, join, grouping — unless the role
 * has {@code personal-data} (or reads them {@code pseudonymized}), nor a column the role's {@code columns} grants leave out
 * of a table, and only roles with {@code any-statement} run anything but queries
 * (commands, files read by path, scripts, Java reflection).
 *
 * <p>Checked on the analyzed plan, before any optimization, so that nothing the optimizer folds
 * away (an aggregate Iceberg answers from file statistics, a pushed filter) hides a column.
 */
public final class QueryPolicy {
  /** Iceberg metadata tables that list per-file column bounds (or deleted rows): values of every column. */
  private static final Set<String> FILE_LEVEL_METADATA =
      Set.of("entries", "files", "data_files", "delete_files", "all_entries", "all_files", "all_data_files", "all_delete_files", "position_deletes");
  /** Iceberg metadata tables that hold no column values (partitions and manifests hold partition values and bounds). */
  private static final Set<String> VALUE_FREE_METADATA = Set.of("snapshots", "history", "refs", "metadata_log_entries");

  private final String catalogName;
  private final Map<String, Set<String>> personalColumns = new LinkedHashMap<>();

  public QueryPolicy(String catalogName) {
    this.catalogName = catalogName;
    for (TableDefinition table : Tables.ALL) {
      Set<String> personal = new LinkedHashSet<>();
      table.columns().stream().filter(Column::personal).forEach(c -> personal.add(c.name()));
      personalColumns.put(table.qualifiedName(), personal);
    }
  }

  /**
   * @return the tables (layer.table) the plan reads
   * @throws AccessDeniedException naming what the role may not do and what it may
   */
  public List<String> check(LogicalPlan analyzed, GeolakeConfig.Role role) {
    Set<String> tables = new LinkedHashSet<>();
    List<String> denied = new ArrayList<>();
    Map<ExprId, String> personal = new LinkedHashMap<>();
    Map<ExprId, String> ungranted = new LinkedHashMap<>();
    walk(analyzed, node -> {
      String kept = keptTableDropped(node);
      if (kept != null) {
        denied.add(kept);
      }
      if (!role.anyStatement()) {
        String refused = refusedStatement(node);
        if (refused != null) {
          denied.add(refused);
        }
      }
      Optional<TableRead> read = TableRead.of(node, catalogName);
      if (read.isPresent()) {
        TableRead t = read.get();
        if (t.table() == null) {
          if (!role.anyStatement()) {
            denied.add("it reads " + t.what() + ", outside catalog " + catalogName + " (files by path need any-statement)");
          }
          return;
        }
        tables.add(t.table());
        if (t.metadata() == null && t.output() != null && role.mayQuery(t.table())) {
          for (Attribute a : t.output()) {
            if (!role.mayRead(t.table(), a.name())) {
              ungranted.put(a.exprId(), t.table() + "." + a.name());
            }
          }
        }
        if (!role.mayQuery(t.table())) {
          denied.add("it reads " + t.table() + ", which is not among the role's tables " + role.tables());
        } else if (t.metadata() != null && role.rowFilter(t.table()).isPresent()) {
          denied.add("metadata table " + t.table() + "." + t.metadata() + " describes all rows of " + t.table()
              + ", and the role sees only those where " + role.rowFilter(t.table()).get());
        } else if (t.metadata() != null && !VALUE_FREE_METADATA.contains(t.metadata()) && role.columns().containsKey(t.table())) {
          denied.add("metadata table " + t.table() + "." + t.metadata() + " holds values or bounds of all columns, and the role is granted only "
              + role.columns().get(t.table()) + " (snapshots, history and refs stay open)");
        } else if (!role.personalData() && !personalColumns.getOrDefault(t.table(), Set.of()).isEmpty()) {
          if (t.metadata() != null && FILE_LEVEL_METADATA.contains(t.metadata())) {
            denied.add("metadata table " + t.table() + "." + t.metadata() + " lists column bounds of personal data " + personalColumns.get(t.table()));
          } else if (t.output() != null && !role.pseudonymized()) { // else RoleViews pseudonymizes them
            for (Attribute a : t.output()) {
              if (personalColumns.get(t.table()).contains(a.name())) {
                personal.put(a.exprId(), t.table() + "." + a.name());
              }
            }
          }
        }
      }
    });
    // The columns are listed in the tables' column order, so the message is the same every time.
    Set<ExprId> referenced = personal.isEmpty() && ungranted.isEmpty() ? Set.of() : referenced(analyzed);
    Set<String> notGranted = used(ungranted, referenced);
    if (!notGranted.isEmpty()) {
      denied.add("it reads " + String.join(", ", notGranted) + ", which the role is not granted (its columns: " + grantedOf(role, notGranted)
          + "; leave the others out — SELECT * includes them)");
    }
    Set<String> personalInClear = used(personal, referenced);
    personalInClear.removeAll(notGranted); // refused once, for the stronger reason
    if (!personalInClear.isEmpty()) {
      denied.add("it reads " + String.join(", ", personalInClear) + ": personal data in clear (leave those columns out — SELECT * includes them —"
          + " or query the consumption layer, where devices are pseudonymized)");
    }
    if (!denied.isEmpty()) {
      throw new AccessDeniedException("Role " + role.name() + " may not run this statement: " + String.join("; ", new LinkedHashSet<>(denied)) + ".");
    }
    return List.copyOf(tables);
  }

  /**
   * Why no role may run a node that drops or replaces one of the tables the pipeline keeps, or
   * null. Any-statement covers fixing rows (DELETE, UPDATE, MERGE keep the table's snapshots and
   * lineage); a dropped table loses its history, the snapshots runs recorded and, once geolake
   * maintain deletes its files as orphans, its data.
   */
  private String keptTableDropped(LogicalPlan node) {
    LogicalPlan target =
        node instanceof DropTable d ? d.child()
            : node instanceof ReplaceTable r ? r.name()
            : node instanceof ReplaceTableAsSelect r ? r.name()
            : null;
    if (!(target instanceof ResolvedIdentifier id) || !id.catalog().name().equals(catalogName) || id.identifier().namespace().length != 1) {
      return null;
    }
    String table = id.identifier().namespace()[0] + "." + id.identifier().name();
    if (Tables.ALL.stream().noneMatch(t -> t.qualifiedName().equals(table))) {
      return null;
    }
    return (node instanceof DropTable ? "it drops " : "it replaces ") + table + ", a table geolake keeps: that would lose its history and"
        + " the snapshots runs recorded (no role may; remove rows with DELETE FROM " + table + " WHERE ..., old days with"
        + " maintenance.data-retention, devices with geolake forget)";
  }

  /** The columns (table.column) of the attributes the plan uses. */
  private static Set<String> used(Map<ExprId, String> columns, Set<ExprId> referenced) {
    Set<String> used = new LinkedHashSet<>();
    columns.forEach((id, column) -> {
      if (referenced.contains(id)) {
        used.add(column);
      }
    });
    return used;
  }

  /** The role's granted columns of the tables the refused columns belong to. */
  private static String grantedOf(GeolakeConfig.Role role, Set<String> refused) {
    Set<String> tables = new LinkedHashSet<>();
    refused.forEach(c -> tables.add(c.substring(0, c.lastIndexOf('.'))));
    List<String> granted = new ArrayList<>();
    tables.forEach(t -> granted.add(t + " " + role.columns().get(t)));
    return String.join(", ", granted);
  }

  /** Whether a command only lists or describes what a role may query (SHOW TABLES, DESCRIBE, ...). */
  static boolean onlyDescribes(LogicalPlan node) {
    return node instanceof ShowTables || node instanceof ShowNamespaces || node instanceof DescribeRelation || node instanceof ShowColumns;
  }

  /** Why a non-query node needs any-statement, or null for what queries may contain. */
  private static String refusedStatement(LogicalPlan node) {
    if (onlyDescribes(node)) {
      return null;
    }
    if (node instanceof Command) {
      return "it is a " + node.nodeName() + " statement, and the role runs queries only (any-statement: false)";
    }
    if (node instanceof ScriptTransformation) {
      return "it runs a script (TRANSFORM ... USING)";
    }
    for (Expression e : JavaConverters.seqAsJavaList(node.expressions())) {
      if (contains(e, CallMethodViaReflection.class)) {
        return "it calls Java methods (reflect / java_method)";
      }
    }
    return null;
  }

  private static boolean contains(Expression e, Class<?> type) {
    if (type.isInstance(e)) {
      return true;
    }
    for (Expression child : JavaConverters.seqAsJavaList(e.children())) {
      if (contains(child, type)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every attribute the plan uses: what its nodes' expressions reference, what it returns, and
   * what set operations and DISTINCT compare without naming (all columns of their inputs).
   */
  private static Set<ExprId> referenced(LogicalPlan plan) {
    Set<ExprId> ids = new HashSet<>();
    JavaConverters.seqAsJavaList(plan.output()).forEach(a -> ids.add(a.exprId()));
    walk(plan, node -> {
      JavaConverters.seqAsJavaList(node.references().toSeq()).forEach(a -> ids.add(a.exprId()));
      if (node instanceof SetOperation || node instanceof Union || node instanceof Distinct) {
        for (LogicalPlan child : JavaConverters.seqAsJavaList(node.children())) {
          JavaConverters.seqAsJavaList(child.output()).forEach(a -> ids.add(a.exprId()));
        }
      }
    });
    return ids;
  }

  /** Visits a plan's nodes, its subqueries' too. */
  private static void walk(LogicalPlan plan, Consumer<LogicalPlan> visit) {
    visit.accept(plan);
    for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      walk(child, visit);
    }
    for (LogicalPlan subquery : JavaConverters.seqAsJavaList(plan.subqueries())) {
      walk(subquery, visit);
    }
  }
}
