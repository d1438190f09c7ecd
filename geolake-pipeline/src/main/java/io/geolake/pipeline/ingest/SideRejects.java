package io.geolake.pipeline.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * The filter that keeps parsed rows for {@code raw.pings} and gathers the rejects it drops to the
 * driver, so {@code raw.rejects} needs no second parse of every file. A normal delivery rejects
 * few lines; a task whose rejects outgrow its share of the budget stops gathering and says so, and
 * then {@code raw.rejects} is parsed again (a corrupt file can reject millions of lines, which
 * must not fill the driver's memory).
 *
 * <p>Spark merges a result task's accumulator updates once, whatever retries it took; the rejects
 * are keyed by file and line all the same, so an update that did arrive twice counts once.
 */
final class SideRejects implements Function<Row, Boolean> {
  /** Driver memory the gathered rejects may take, roughly (Java chars of their text). */
  static final long DEFAULT_BUDGET_BYTES = 64L << 20;

  private final CollectionAccumulator<Row> gathered;
  private final LongAccumulator overflowedTasks;
  private final long budgetPerTask;
  // Per task: each task deserializes its own copy of the function.
  private transient long used;
  private transient boolean full;

  private SideRejects(CollectionAccumulator<Row> gathered, LongAccumulator overflowedTasks, long budgetPerTask) {
    this.gathered = gathered;
    this.overflowedTasks = overflowedTasks;
    this.budgetPerTask = budgetPerTask;
  }

  static SideRejects register(SparkContext spark, long budgetBytes, int tasks) {
    return new SideRejects(
        spark.collectionAccumulator("geolake ingest: rejects"),
        spark.longAccumulator("geolake ingest: tasks with too many rejects to gather"),
        Math.max(1, budgetBytes / Math.max(1, tasks)));
  }

  @Override
  public Boolean call(Row row) {
    if (row.isNullAt(ParsedRows.REASON_INDEX)) {
      return true;
    }
    if (!full) {
      long size = 2L * (length(row, "_source_file") + length(row, "detail") + length(row, "line")) + 64;
      if (used + size > budgetPerTask) {
        full = true;
        overflowedTasks.add(1);
      } else {
        used += size;
        gathered.add(row);
      }
    }
    return false;
  }

  /** The rejects of the pass that ran this filter, or empty when a task had more than it could gather. */
  Optional<List<Row>> rejects() {
    if (overflowedTasks.value() > 0) {
      return Optional.empty();
    }
    Map<String, Row> byLine = new LinkedHashMap<>();
    int file = ParsedRows.SCHEMA.fieldIndex("_source_file");
    int line = ParsedRows.SCHEMA.fieldIndex("_row_number");
    for (Row r : gathered.value()) {
      byLine.putIfAbsent(r.getString(file) + "\n" + r.getLong(line), r);
    }
    return Optional.of(List.copyOf(byLine.values()));
  }

  private static int length(Row row, String field) {
    int i = ParsedRows.SCHEMA.fieldIndex(field);
    return row.isNullAt(i) ? 0 : row.getString(i).length();
  }
}
