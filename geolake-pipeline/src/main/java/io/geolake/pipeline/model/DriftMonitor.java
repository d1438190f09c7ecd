package io.geolake.pipeline.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.geolake.pipeline.quality.RuleOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.feature.Bucketizer;
import org.apache.spark.ml.feature.QuantileDiscretizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Drift of model X's inputs and outputs, by the population stability index (PSI): for buckets
 * fixed on the training data, the sum over buckets of (today's share - training share) * ln(today's
 * share / training share). 0 when nothing moved; by the usual reading under 0.1 a small shift,
 * above 0.25 a population the model was not trained on. Deciles come from MLlib's
 * QuantileDiscretizer (repeated edges merged, so a 0/1 feature has two buckets), bucketing from its
 * Bucketizer.
 */
public final class DriftMonitor {
  static final int BUCKETS = 10;
  /** Shares are floored here, so an empty bucket adds a large but finite term. */
  private static final double FLOOR = 1e-4;
  private static final double[] SCORE_SPLITS = {Double.NEGATIVE_INFINITY, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, Double.POSITIVE_INFINITY};

  private DriftMonitor() {}

  /** The baseline of a version: feature deciles over {@code training}, score buckets over the scored {@code holdout}. */
  public static ModelBaseline baseline(Dataset<Row> training, Dataset<Row> scoredHoldout, List<String> features) {
    String[] columns = features.toArray(String[]::new);
    double[][] splits =
        new QuantileDiscretizer()
            .setInputCols(columns)
            .setOutputCols(bucketColumns(columns))
            .setNumBuckets(BUCKETS)
            .setRelativeError(0.001)
            .fit(training)
            .getSplitsArray();
    List<ModelBaseline.Distribution> distributions = distributions(training, columns, splits);
    ModelBaseline.Distribution score = distributions(scoredHoldout, new String[] {"score"}, new double[][] {SCORE_SPLITS}).get(0);
    return new ModelBaseline(distributions, score);
  }

  /**
   * One warn-severity outcome per feature and one for the scores: today's {@code scored} rows
   * (profiles with a score) against the baseline of {@code version}.
   */
  public static List<RuleOutcome> check(ModelBaseline baseline, Dataset<Row> scored, String version, double maxPsi) {
    List<ModelBaseline.Distribution> expected = new ArrayList<>(baseline.features());
    expected.add(baseline.score());
    String[] columns = expected.stream().map(ModelBaseline.Distribution::column).toArray(String[]::new);
    double[][] splits = expected.stream().map(ModelBaseline.Distribution::splits).toArray(double[][]::new);
    List<ModelBaseline.Distribution> actual = distributions(scored, columns, splits);
    List<RuleOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      ModelBaseline.Distribution e = expected.get(i);
      boolean isScore = i == expected.size() - 1;
      double psi = psi(e.shares(), actual.get(i).shares());
      outcomes.add(new RuleOutcome(
          "model_x_drift_" + e.column(),
          isScore ? "consumption.model_scores" : "consumption.device_profiles",
          "psi",
          "warn",
          psi,
          null,
          maxPsi,
          psi <= maxPsi,
          String.format(Locale.ROOT, "population stability index of %s against %s's %s (%d buckets)", e.column(), version,
              isScore ? "hold-out scores" : "training examples", e.shares().length)));
    }
    return outcomes;
  }

  /** PSI of {@code actual} against {@code expected}, both shares over the same buckets. */
  static double psi(double[] expected, double[] actual) {
    double psi = 0;
    for (int i = 0; i < expected.length; i++) {
      double e = Math.max(expected[i], FLOOR);
      double a = Math.max(actual[i], FLOOR);
      psi += (a - e) * Math.log(a / e);
    }
    return psi;
  }

  /** Each column's share of rows per bucket of its splits, in one pass over {@code rows}. */
  private static List<ModelBaseline.Distribution> distributions(Dataset<Row> rows, String[] columns, double[][] splits) {
    String[] buckets = bucketColumns(columns);
    Dataset<Row> bucketed =
        new Bucketizer().setInputCols(columns).setOutputCols(buckets).setSplitsArray(splits).setHandleInvalid("keep").transform(rows);
    List<Column> counts = new ArrayList<>();
    counts.add(count(lit(1)));
    for (int c = 0; c < columns.length; c++) {
      for (int b = 0; b < splits[c].length - 1; b++) {
        counts.add(sum(when(col(buckets[c]).equalTo(b), 1).otherwise(0)));
      }
    }
    Row totals = bucketed.agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new)).first();
    long rowCount = totals.getLong(0);
    List<ModelBaseline.Distribution> distributions = new ArrayList<>();
    int field = 1;
    for (int c = 0; c < columns.length; c++) {
      double[] shares = new double[splits[c].length - 1];
      for (int b = 0; b < shares.length; b++, field++) {
        shares[b] = rowCount == 0 ? 0 : (totals.isNullAt(field) ? 0 : totals.getLong(field)) / (double) rowCount;
      }
      distributions.add(new ModelBaseline.Distribution(columns[c], splits[c], shares));
    }
    return distributions;
  }

  private static String[] bucketColumns(String[] columns) {
    String[] buckets = new String[columns.length];
    for (int i = 0; i < columns.length; i++) {
      buckets[i] = "_bucket_" + columns[i];
    }
    return buckets;
  }
}
