package io.geolake.pipeline.quality;

import io.geolake.core.schema.Tables;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** Appends checked rules to ops.quality_results: the quality step's, and scoring's drift checks. */
public final class QualityResults {
  private QualityResults() {}

  public static void append(LakehouseCatalog catalog, LocalDate date, String runId, List<RuleOutcome> outcomes) {
    StructType schema = catalog.spark().table(catalog.qualified(Tables.QUALITY_RESULTS)).schema();
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    for (RuleOutcome o : outcomes) {
      rows.add(RowFactory.create(Date.valueOf(date), runId, o.rule(), o.table(), o.check(), o.severity(), o.metric(), o.lowerBound(),
          o.upperBound(), o.passed(), o.detail(), now));
    }
    try {
      catalog.spark().createDataFrame(rows, schema).writeTo(catalog.qualified(Tables.QUALITY_RESULTS)).append();
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException("ops.quality_results is missing; it is created with the other tables", e);
    }
  }
}
