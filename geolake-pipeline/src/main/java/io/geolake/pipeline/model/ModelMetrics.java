package io.geolake.pipeline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * How well scores rank and fit labels on a hold-out.
 *
 * @param aucRoc area under the ROC curve (0.5 = chance)
 * @param aucPr area under the precision-recall curve (compare with positiveRate)
 * @param logLoss mean negative log-likelihood of the labels, probabilities clipped to [1e-15, 1 - 1e-15]
 * @param positiveRate share of positive labels
 * @param rows examples evaluated
 */
public record ModelMetrics(
    @JsonProperty("auc_roc") double aucRoc,
    @JsonProperty("auc_pr") double aucPr,
    @JsonProperty("log_loss") double logLoss,
    @JsonProperty("positive_rate") double positiveRate,
    @JsonProperty("rows") long rows) {

  /** Metrics of rows with a {@code score} and a 0/1 {@code label}. */
  public static ModelMetrics of(Dataset<Row> scored) {
    Dataset<Row> pairs = scored.selectExpr("score", "label").persist();
    try {
      Row summary =
          pairs.selectExpr(
                  "count(*)",
                  "avg(label)",
                  "-avg(label * ln(greatest(least(score, 1 - 1e-15), 1e-15))"
                      + " + (1 - label) * ln(1 - greatest(least(score, 1 - 1e-15), 1e-15)))")
              .first();
      long rows = summary.getLong(0);
      if (rows == 0) {
        throw new IllegalStateException("No hold-out examples to evaluate");
      }
      BinaryClassificationMetrics metrics =
          new BinaryClassificationMetrics(
              pairs.toJavaRDD().map(r -> new Tuple2<Object, Object>(r.getDouble(0), r.getDouble(1))).rdd());
      try {
        return new ModelMetrics(metrics.areaUnderROC(), metrics.areaUnderPR(), summary.getDouble(2), summary.getDouble(1), rows);
      } finally {
        metrics.unpersist();
      }
    } finally {
      pairs.unpersist();
    }
  }
}
