package io.geolake.pipeline.access;

import io.geolake.core.config.ConfigException;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Column;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.features.Pseudonyms;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.OuterReference;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import scala.Function1;
import scala.collection.JavaConverters;
import scala.runtime.AbstractPartialFunction;

/**
 * What a role's statement reads of each table, the way Lake Formation's data filters shape it:
 * only the rows its row filter ({@code access.roles[].row-filters}) leaves, and, for a {@code
 * pseudonymized} role, the columns holding personal data as their keyed pseudonyms — a device id
 * as the consumption layer names it, so the two join. Every read of the table counts: joined with
 * itself, in a subquery or CTE, at an older snapshot, branch or tag.
 *
 * <p>The filter and the pseudonyms go right above the table's relation in the analyzed plan, so
 * nothing of the statement sees other rows or a value in clear; what the optimizer then does (push
 * the filter into the Iceberg scan, answer an aggregate from file statistics only when the filter
 * allows) keeps its meaning. The pseudonymizing function has no name in the session, so a statement
 * cannot call it on values of its own choosing.
 */
final class RoleViews {
  private final SparkSession spark;
  private final String catalogName;
  private final UserDefinedFunction pseudonym;
  private final Map<String, Set<String>> personalColumns;

  RoleViews(SparkSession spark, String catalogName, String pseudonymKey) {
    this.spark = spark;
    this.catalogName = catalogName;
    byte[] secret = pseudonymKey.getBytes(StandardCharsets.UTF_8);
    this.pseudonym = functions.udf((org.apache.spark.sql.api.java.UDF1<String, String>) v -> v == null ? null : Pseudonyms.of(secret, v),
        DataTypes.StringType);
    this.personalColumns = Tables.ALL.stream().collect(Collectors.toMap(TableDefinition::qualifiedName,
        t -> t.columns().stream().filter(Column::personal).map(Column::name).collect(Collectors.toSet())));
  }

  /**
   * Resolves every role's row filters against their tables' columns, so a typo fails when the lake
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

  /** The plan reading each table as the role sees it; the plan itself when the role sees every table whole. */
  LogicalPlan apply(LogicalPlan analyzed, GeolakeConfig.Role role) {
    if (role.rowFilters().isEmpty() && !role.pseudonymized()) {
      return analyzed;
    }
    // A pseudonymized column is a new attribute: every reference to the clear one, in any node
    // above it (correlated subqueries included), is renamed to it.
    Map<ExprId, Attribute> renamed = new HashMap<>();
    Set<LogicalPlan> views = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    // Bottom-up, so a relation under its new view is not visited again, and every node's children
    // (and the subqueries in its expressions) are rewritten before the node's own references.
    LogicalPlan rewritten = analyzed.transformUpWithSubqueries(new AbstractPartialFunction<LogicalPlan, LogicalPlan>() {
      @Override
      public boolean isDefinedAt(LogicalPlan node) {
        return true;
      }

      @Override
      @SuppressWarnings("unchecked")
      public <A1 extends LogicalPlan, B1> B1 applyOrElse(A1 node, Function1<A1, B1> otherwise) {
        Optional<TableRead> read = TableRead.of(node, catalogName).filter(TableRead::readsRowsOf);
        if (read.isPresent()) {
          LogicalPlan view = view(node, read.get().table(), role, renamed);
          views.add(view);
          return (B1) view;
        }
        return (B1) (renamed.isEmpty() ? node : node.transformExpressions(new AbstractPartialFunction<Expression, Expression>() {
          @Override
          public boolean isDefinedAt(Expression e) {
            return renamedAttribute(e, renamed) != null;
          }

          @Override
          public <E1 extends Expression, R1> R1 applyOrElse(E1 e, Function1<E1, R1> orElse) {
            Expression replacement = renamedAttribute(e, renamed);
            return replacement != null ? (R1) replacement : orElse.apply(e);
          }
        }));
      }
    });
    if (!renamed.isEmpty()) {
      assertNoClearReference(rewritten, renamed.keySet(), views);
    }
    return rewritten;
  }

  /** The pseudonymized attribute standing for e, or null; OuterReference is a leaf, so its attribute is not reached as a child. */
  private static Expression renamedAttribute(Expression e, Map<ExprId, Attribute> renamed) {
    if (e instanceof AttributeReference a && renamed.containsKey(a.exprId())) {
      return renamed.get(a.exprId());
    }
    if (e instanceof OuterReference o && o.e() instanceof AttributeReference a && renamed.containsKey(a.exprId())) {
      return new OuterReference(renamed.get(a.exprId()));
    }
    return null;
  }

  /**
   * Refuses to run a plan in which anything above the views still refers to a column in clear: a
   * node or expression kind that holds attributes where the renaming does not look would leak them.
   */
  private static void assertNoClearReference(LogicalPlan plan, Set<ExprId> clear, Set<LogicalPlan> views) {
    if (views.contains(plan)) {
      return;
    }
    for (Expression e : JavaConverters.seqAsJavaList(plan.expressions())) {
      assertNoClearReference(e, clear, views);
    }
    for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      assertNoClearReference(child, clear, views);
    }
  }

  private static void assertNoClearReference(Expression e, Set<ExprId> clear, Set<LogicalPlan> views) {
    Object inner = e instanceof OuterReference o ? o.e() : e;
    if (inner instanceof Attribute a && clear.contains(a.exprId())) {
      throw new AccessDeniedException("This statement could not be checked to read personal data only as pseudonyms (" + a.name()
          + " in " + e.prettyName() + "); write it without that construct, or ask for a role with personal-data.");
    }
    if (e instanceof org.apache.spark.sql.catalyst.expressions.SubqueryExpression s) {
      assertNoClearReference(s.plan(), clear, views);
    }
    for (Expression child : JavaConverters.seqAsJavaList(e.children())) {
      assertNoClearReference(child, clear, views);
    }
  }

  /** The relation as the role sees it: filtered, then its personal columns pseudonymized. */
  private LogicalPlan view(LogicalPlan relation, String table, GeolakeConfig.Role role, Map<ExprId, Attribute> renamed) {
    Optional<String> condition = role.rowFilter(table);
    Set<String> personal = role.pseudonymized() ? personalColumns.getOrDefault(table, Set.of()) : Set.of();
    if (condition.isEmpty() && personal.isEmpty()) {
      return relation;
    }
    Dataset<Row> rows = Dataset.ofRows(spark, relation);
    if (condition.isPresent()) {
      rows = rows.where(functions.expr(condition.get()));
    }
    if (personal.isEmpty()) {
      return rows.queryExecution().analyzed();
    }
    List<Attribute> clear = JavaConverters.seqAsJavaList(relation.output());
    List<org.apache.spark.sql.Column> columns = new ArrayList<>();
    for (Attribute a : clear) {
      org.apache.spark.sql.Column c = rows.col(a.name());
      columns.add(personal.contains(a.name()) ? pseudonymized(c, a).as(a.name()) : c);
    }
    LogicalPlan masked = rows.select(columns.toArray(org.apache.spark.sql.Column[]::new)).queryExecution().analyzed();
    List<Attribute> out = JavaConverters.seqAsJavaList(masked.output());
    for (int i = 0; i < clear.size(); i++) {
      if (personal.contains(clear.get(i).name())) {
        renamed.put(clear.get(i).exprId(), out.get(i));
      }
    }
    return masked;
  }

  /** A string's pseudonym; a map's values' pseudonyms (raw.pings._extra). */
  private org.apache.spark.sql.Column pseudonymized(org.apache.spark.sql.Column c, Attribute a) {
    if (a.dataType() instanceof MapType) {
      return functions.transform_values(c, (k, v) -> pseudonym.apply(v));
    }
    return pseudonym.apply(c.cast(DataTypes.StringType));
  }
}
