package io.geolake.pipeline.model;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Examples for model X as of a cut-off date: one per device and feature date t, with the
 * device's profile on t as features and, as label, whether the device arrived at a place of
 * interest in the horizon days after t.
 *
 * <p>Time split, strict: only feature dates whose whole horizon ends by the cut-off are used, and
 * only visits that ended by the cut-off count, so nothing after the cut-off is read. The last
 * holdout-days feature dates are held out; training dates end horizon-days before them, so no
 * training label looks into the hold-out period.
 *
 * @param asOf the cut-off: the last day whose data may be used
 * @param trainFrom first training feature date
 * @param trainTo last training feature date
 * @param holdoutFrom first hold-out feature date
 * @param holdoutTo last hold-out feature date
 */
public record TrainingSet(
    LocalDate asOf,
    LocalDate trainFrom,
    LocalDate trainTo,
    LocalDate holdoutFrom,
    LocalDate holdoutTo,
    Dataset<Row> training,
    Dataset<Row> holdout) {

  public static TrainingSet asOf(LakehouseCatalog catalog, GeolakeConfig.Model model, LocalDate asOf) {
    LocalDate holdoutTo = asOf.minusDays(model.horizonDays());
    LocalDate holdoutFrom = holdoutFrom(model, asOf);
    LocalDate trainTo = trainTo(model, asOf);
    LocalDate trainFrom = holdoutTo.minusDays(model.trainingDays() - 1);
    Dataset<Row> examples = examples(catalog, model.horizonDays(), asOf, trainFrom, holdoutTo);
    return new TrainingSet(
        asOf,
        trainFrom,
        trainTo,
        holdoutFrom,
        holdoutTo,
        examples.where("feature_date <= DATE '" + trainTo + "'"),
        examples.where("feature_date >= DATE '" + holdoutFrom + "'"));
  }

  /**
   * The earliest cut-off whose training feature dates reach back to {@code firstDate}, the lake's
   * first: before it every training date precedes the lake, so there is nothing to learn from.
   */
  public static LocalDate firstCutOff(GeolakeConfig.Model model, LocalDate firstDate) {
    return firstDate.plusDays(java.time.temporal.ChronoUnit.DAYS.between(trainTo(model, firstDate), firstDate));
  }

  /** The last training feature date: a horizon-days gap before the hold-out, whose horizons end by asOf. */
  public static LocalDate trainTo(GeolakeConfig.Model model, LocalDate asOf) {
    return holdoutFrom(model, asOf).minusDays(model.horizonDays() + 1);
  }

  private static LocalDate holdoutFrom(GeolakeConfig.Model model, LocalDate asOf) {
    return asOf.minusDays(model.horizonDays()).minusDays(model.holdoutDays() - 1);
  }

  /** Profiles of feature dates [from, to] with their labels; reads no visit that ended after asOf. */
  static Dataset<Row> examples(LakehouseCatalog catalog, int horizonDays, LocalDate asOf, LocalDate from, LocalDate to) {
    String visits = catalog.qualified(Tables.VISITS);
    return catalog.spark().sql(
        "SELECT p.*, CAST(IF(v.device IS NULL, 0, 1) AS DOUBLE) AS label FROM"
            + " (SELECT " + ModelFeatures.selectList() + " FROM " + catalog.qualified(Tables.DEVICE_PROFILES)
            + "  WHERE feature_date BETWEEN DATE '" + from + "' AND DATE '" + to + "') p"
            + " LEFT JOIN (SELECT DISTINCT p.feature_date, v.device FROM " + visits + " v"
            + "   JOIN (SELECT DISTINCT feature_date FROM " + catalog.qualified(Tables.DEVICE_PROFILES)
            + "     WHERE feature_date BETWEEN DATE '" + from + "' AND DATE '" + to + "') p"
            + "   ON v.arrived_at >= CAST(date_add(p.feature_date, 1) AS TIMESTAMP)"
            + "   AND v.arrived_at < CAST(date_add(p.feature_date, " + (horizonDays + 1) + ") AS TIMESTAMP)"
            + "   WHERE v.departed_at < TIMESTAMP '" + asOf.plusDays(1) + " 00:00:00'"
            + "   AND v.arrived_at >= TIMESTAMP '" + from.plusDays(1) + " 00:00:00'"
            + "   AND v.arrived_at < TIMESTAMP '" + to.plusDays(horizonDays + 1) + " 00:00:00') v"
            + " ON v.feature_date = p.feature_date AND v.device = p.device");
  }
}
