package io.geolake.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Tables;
import io.geolake.generator.GeneratorSettings;
import io.geolake.generator.PlacesOfInterest;
import io.geolake.generator.SyntheticDeliveries;
import io.geolake.pipeline.features.DayPartials;
import io.geolake.pipeline.features.DeviceProfiles;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.RunListener;
import io.geolake.pipeline.testing.TableCheckpoint;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Model X on demo-sized data: the demo's 200 devices over a week with the planted relation (mall
 * regulars), run through the daily pipeline once for the whole class. A week is too short for the
 * 7-day default horizon, so, like the demo, this trains a next-day model.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestModelX extends BaseSparkTest {
  private static final LocalDate START = LocalDate.of(2024, 5, 6);
  private static final LocalDate LAST = START.plusDays(6);

  private static Path data;
  private static GeolakeConfig config;
  private static LakehouseCatalog catalog;

  @BeforeAll
  static void runTheDemoWeek() throws Exception {
    data = Files.createTempDirectory("geolake-model-x");
    Path places = PlacesOfInterest.writeTo(data.resolve("places.geojson"));
    config =
        config(
            data,
            "features.places.geofences=" + places,
            "model.horizon-days=1",
            "model.holdout-days=2",
            "model.training-days=7");
    catalog = catalog(config);
    new SyntheticDeliveries(GeneratorSettings.defaults(200, 7, START, 42)).writeTo(data.resolve("landing"), s -> {});
    DailyRun run = new DailyRun(catalog, config, RunListener.NONE);
    for (LocalDate date = START; !date.isAfter(LAST); date = date.plusDays(1)) {
      run.run(date);
    }
  }

  @AfterAll
  static void cleanUp() throws Exception {
    org.apache.commons.io.FileUtils.deleteDirectory(data.toFile());
  }

  @Test
  @Order(1)
  void theTrainedModelRanksFutureVisitorsOnATimeSplitHoldout() {
    TrainResult result = new TrainStep(catalog, config).train(LAST);
    ModelVersion v = result.version();
    System.out.printf("model X hold-out: %s (training rows %d, positive rate %.3f)%n", v.metrics(), v.trainingRows(), v.trainingPositiveRate());

    assertThat(v.metrics().aucRoc()).isGreaterThanOrEqualTo(0.75);
    assertThat(v.metrics().aucPr()).isGreaterThan(v.metrics().positiveRate()); // better than chance at finding visitors
    assertThat(v.version()).isEqualTo("v0001");
    assertThat(v.promoted()).isTrue();
    assertThat(v.trainTo()).isEqualTo(START.plusDays(2));
    assertThat(v.holdoutFrom()).isEqualTo(START.plusDays(4));
    assertThat(v.holdoutTo()).isEqualTo(LAST.minusDays(1));
    assertThat(v.snapshots()).containsKeys("consumption.device_profiles", "consumption.visits").doesNotContainValue(null);
    ModelRegistry registry = new ModelRegistry(spark, config);
    assertThat(registry.live()).hasValueSatisfying(l -> assertThat(l.version()).isEqualTo("v0001"));

    // The baseline for drift, read back from the registry: every feature's training deciles (fewer
    // buckets where values repeat) with the share of training examples in each.
    ModelBaseline baseline = registry.baseline("v0001").orElseThrow();
    assertThat(baseline.features()).extracting(ModelBaseline.Distribution::column).containsExactlyElementsOf(ModelFeatures.names());
    for (ModelBaseline.Distribution d : baseline.features()) {
      assertThat(d.splits()).as(d.column()).startsWith(Double.NEGATIVE_INFINITY).endsWith(Double.POSITIVE_INFINITY).isSorted();
      assertThat(d.shares()).as(d.column()).hasSize(d.splits().length - 1);
      assertThat(java.util.Arrays.stream(d.shares()).sum()).as(d.column()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
    }
    ModelBaseline.Distribution radius = baseline.features().stream().filter(d -> d.column().equals("radius_of_gyration_m")).findFirst().orElseThrow();
    assertThat(java.util.Arrays.stream(radius.shares()).boxed().toList()).hasSize(DriftMonitor.BUCKETS)
        .allSatisfy(share -> assertThat(share).isBetween(0.05, 0.15));
    ModelBaseline.Distribution hasWork = baseline.features().stream().filter(d -> d.column().equals("has_work")).findFirst().orElseThrow();
    assertThat(hasWork.shares().length).isLessThan(DriftMonitor.BUCKETS); // 0 or 1: repeated deciles merged
    assertThat(baseline.score().shares()).hasSize(10);
  }

  @Test
  void thePopulationStabilityIndexIsZeroForTheSameSharesAndGrowsWithTheShift() {
    double[] even = {0.25, 0.25, 0.25, 0.25};
    assertThat(DriftMonitor.psi(even, even)).isZero();
    // (0.4 - 0.25) ln(0.4 / 0.25) + (0.1 - 0.25) ln(0.1 / 0.25), twice
    assertThat(DriftMonitor.psi(even, new double[] {0.4, 0.1, 0.4, 0.1})).isCloseTo(2 * (0.15 * Math.log(1.6) + 0.15 * Math.log(2.5)),
        org.assertj.core.api.Assertions.within(1e-12));
    assertThat(DriftMonitor.psi(even, new double[] {0.7, 0.1, 0.1, 0.1})).isGreaterThan(DriftMonitor.psi(even, new double[] {0.4, 0.1, 0.4, 0.1}));
    assertThat(DriftMonitor.psi(even, new double[] {1, 0, 0, 0})).isFinite().isGreaterThan(1); // an empty bucket is floored, not infinite
  }

  @Test
  @Order(2)
  void shuffledLabelsLearnNothing() {
    TrainingSet set = TrainingSet.asOf(catalog, config.model(), LAST);
    List<Row> training = set.training().orderBy("feature_date", "device").collectAsList();
    Dataset<Row> holdout = set.holdout().persist();
    int label = training.get(0).fieldIndex("label");
    // Permuted-label models: the same examples with their labels shuffled (seeded, so the control
    // repeats exactly). One such model alone is a poor control here: the hold-out is ranked mostly
    // along one latent axis (mall regulars), and a model fitted to noise still orders devices along
    // it, by chance in either direction (single runs spread from about 0.3 to 0.85) — so the
    // control is the mean over ten permutations.
    double sum = 0;
    int permutations = 10;
    for (int seed = 1; seed <= permutations; seed++) {
      List<Object> labels = new java.util.ArrayList<>(training.stream().map(r -> r.get(label)).toList());
      java.util.Collections.shuffle(labels, new java.util.Random(seed));
      List<Row> shuffled = new java.util.ArrayList<>();
      for (int i = 0; i < training.size(); i++) {
        Object[] values = new Object[training.get(i).size()];
        for (int f = 0; f < values.length; f++) {
          values[f] = f == label ? labels.get(i) : training.get(i).get(f);
        }
        shuffled.add(org.apache.spark.sql.RowFactory.create(values));
      }
      Dataset<Row> permuted = spark.createDataFrame(shuffled, set.training().schema());
      ModelMetrics control = ModelMetrics.of(ModelX.score(ModelX.fit(permuted, config.model(), ModelFeatures.names()), holdout));
      System.out.printf("permuted-label model %d: %s%n", seed, control);
      sum += control.aucRoc();
    }
    double mean = sum / permutations;
    System.out.printf("permuted-label control: mean hold-out AUC-ROC %.3f over %d permutations%n", mean, permutations);
    assertThat(mean).isBetween(0.35, 0.65);

    // And the real model against permuted hold-out labels: chance, so the metric reads no label.
    Dataset<Row> scored = ModelX.score(ModelX.fit(set.training(), config.model(), ModelFeatures.names()), holdout)
        .selectExpr("score", "label", "row_number() OVER (ORDER BY feature_date, device) AS position").persist();
    Dataset<Row> permutedLabels =
        scored.selectExpr("label AS permuted", "row_number() OVER (ORDER BY xxhash64(position, 7)) AS position");
    ModelMetrics againstPermuted =
        ModelMetrics.of(scored.join(permutedLabels, "position").selectExpr("score", "permuted AS label"));
    System.out.printf("real model against permuted hold-out labels: %s%n", againstPermuted);
    assertThat(againstPermuted.aucRoc()).isBetween(0.4, 0.6);
    scored.unpersist();
    holdout.unpersist();
  }

  @Test
  @Order(3)
  void nothingAfterTheCutOffReachesFeaturesOrLabels() {
    LocalDate cutOff = START.plusDays(4);
    TrainingSet before = TrainingSet.asOf(catalog, config.model(), cutOff);
    assertThat(before.trainTo().plusDays(config.model().horizonDays())).isBefore(before.holdoutFrom());
    assertThat(before.holdoutTo().plusDays(config.model().horizonDays())).isEqualTo(cutOff);
    List<Row> examples = sorted(before.training().unionAll(before.holdout()));
    List<Row> profiles = sorted(new DeviceProfiles(catalog, config).compute(cutOff.minusDays(2), cutOff));
    assertThat(examples).isNotEmpty();

    // Erase everything that happened after the cut-off; what was computed as of it must not change.
    TableCheckpoint checkpoint = TableCheckpoint.capture(catalog, Tables.ALL);
    try {
      String after = "TIMESTAMP '" + cutOff.plusDays(1) + " 00:00:00'";
      spark.sql("DELETE FROM " + catalog.qualified(Tables.STAGING_PINGS) + " WHERE event_ts >= " + after);
      spark.sql("DELETE FROM " + catalog.qualified(Tables.STAY_POINTS) + " WHERE finished_at >= " + after);
      spark.sql("DELETE FROM " + catalog.qualified(Tables.VISITS) + " WHERE departed_at >= " + after);
      spark.sql("DELETE FROM " + catalog.qualified(Tables.DEVICE_PROFILES) + " WHERE feature_date > DATE '" + cutOff + "'");
      spark.sql("DELETE FROM " + catalog.qualified(Tables.DEVICE_DAY_PARTIALS) + " WHERE feature_date > DATE '" + cutOff + "'");
      new DayPartials(catalog, config).recompute(START, cutOff); // from the erased staging
      TrainingSet truncated = TrainingSet.asOf(catalog, config.model(), cutOff);
      assertSameRows(sorted(truncated.training().unionAll(truncated.holdout())), examples);
      assertSameRows(sorted(new DeviceProfiles(catalog, config).compute(cutOff.minusDays(2), cutOff)), profiles);
    } finally {
      checkpoint.rollback(Set.of());
    }
  }

  @Test
  @Order(5)
  void dailyScoringWritesTheLiveVersionsScores() {
    ScoreResult result = new ScoreStep(catalog, config).execute(LAST);
    assertThat(result.modelVersion()).isEqualTo("v0001");
    long profiles = count("SELECT count(*) FROM %s WHERE feature_date = DATE '%s'", catalog.qualified(Tables.DEVICE_PROFILES), LAST);
    assertThat(result.devices()).isEqualTo(profiles).isPositive();
    List<Row> scores = sql("SELECT min(score), max(score), count(DISTINCT device), min(model_version),"
        + " sum(IF(predicted_label = IF(score >= %s, 1, 0), 0, 1)) FROM %s WHERE feature_date = DATE '%s'",
        config.model().threshold(), catalog.qualified(Tables.MODEL_SCORES), LAST);
    Row s = scores.get(0);
    assertThat(s.getDouble(0)).isGreaterThanOrEqualTo(0.0);
    assertThat(s.getDouble(1)).isLessThanOrEqualTo(1.0).isGreaterThan(s.getDouble(0));
    assertThat(s.getLong(2)).isEqualTo(profiles);
    assertThat(s.getString(3)).isEqualTo("v0001");
    assertThat(s.getLong(4)).isZero(); // predicted_label follows the threshold

    // Drift: one check per feature and one for the scores, against v0001's training data. The same
    // profiles with the radius of gyration ten times larger move that feature, and only it.
    assertThat(result.drift()).hasSize(ModelFeatures.names().size() + 1).allSatisfy(o -> {
      assertThat(o.metric()).isFinite().isNotNegative();
      assertThat(o.upperBound()).isEqualTo(config.model().driftMaxPsi());
      assertThat(o.severity()).isEqualTo("warn");
    });
    ModelRegistry registry = new ModelRegistry(spark, config);
    Dataset<Row> scored = ModelX.score(registry.load("v0001"),
        spark.sql("SELECT " + ModelFeatures.selectList() + " FROM " + catalog.qualified(Tables.DEVICE_PROFILES) + " WHERE feature_date = DATE '" + LAST + "'"));
    ModelBaseline baseline = registry.baseline("v0001").orElseThrow();
    List<io.geolake.pipeline.quality.RuleOutcome> same = DriftMonitor.check(baseline, scored, "v0001", 0.25);
    assertThat(same).extracting(io.geolake.pipeline.quality.RuleOutcome::metric)
        .containsExactlyElementsOf(result.drift().stream().map(io.geolake.pipeline.quality.RuleOutcome::metric).toList());
    List<io.geolake.pipeline.quality.RuleOutcome> moved =
        DriftMonitor.check(baseline, scored.withColumn("radius_of_gyration_m", org.apache.spark.sql.functions.col("radius_of_gyration_m").multiply(10)), "v0001", 0.25);
    for (int i = 0; i < moved.size(); i++) {
      if (moved.get(i).rule().equals("model_x_drift_radius_of_gyration_m")) {
        assertThat(moved.get(i).metric()).isGreaterThan(1.0).isGreaterThan(same.get(i).metric() + 1);
        assertThat(moved.get(i).passed()).isFalse();
        assertThat(moved.get(i).describe()).contains("model_x_drift_radius_of_gyration_m (warn)", "above the maximum 0.25", "v0001's training examples");
      } else {
        assertThat(moved.get(i).metric()).as(moved.get(i).rule()).isEqualTo(same.get(i).metric());
      }
    }
  }

  @Test
  @Order(6)
  void aSecondVersionIsComparedWithTheLiveOneOnTheSameHoldout() {
    TrainResult result = new TrainStep(catalog, config).train(LAST);
    assertThat(result.version().version()).isEqualTo("v0002");
    assertThat(result.previousLive()).isEqualTo("v0001");
    // The fit repeats exactly, so the same data and settings give the same hold-out AUC: not worse.
    assertThat(result.version().liveOnSameHoldout().aucRoc()).isEqualTo(result.version().metrics().aucRoc());
    assertThat(result.version().promoted()).isTrue();
    ModelRegistry registry = new ModelRegistry(spark, config);
    assertThat(registry.versions()).extracting(ModelVersion::version).containsExactly("v0001", "v0002");
    assertThat(registry.live()).hasValueSatisfying(l -> assertThat(l.version()).isEqualTo("v0002"));
    // Trained after the revert: it scores with nothing to warn about.
    assertThat(registry.revertedRunsLearnedFrom("v0002")).isEmpty();
    assertThat(new ScoreStep(catalog, config).execute(LAST).revertedRunsLearnedFrom()).isEmpty();
  }

  @Test
  @Order(7)
  void anOperatorMakesAnEarlierVersionLiveAndTheRegistrySaysWhoAndWhy() throws Exception {
    ModelRegistry registry = new ModelRegistry(spark, config);
    ManualPromotion promotion = new ManualPromotion(registry, config.model());
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> promotion.makeLive("v0009", "cli: ops", "roll back", false)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registered: v0001, v0002");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> promotion.makeLive("v0001", "cli: ops", " ", false)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--reason");
    assertThat(promotion.makeLive("v0002", "cli: ops", "already", false).change()).isEmpty();

    // v0001 learned from the run reverted in @Order(4): refused unless forced, naming the run.
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> promotion.makeLive("v0001", "cli: ops", "roll back", false)))
        .isInstanceOf(PromotionRefusedException.class).hasMessageContaining(LAST + "-1").hasMessageContaining("--force");
    // A version of another horizon than the config's would change what a score means.
    ManualPromotion weekly = new ManualPromotion(registry, config(data, "model.horizon-days=7").model());
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> weekly.makeLive("v0001", "cli: ops", "roll back", false)))
        .isInstanceOf(PromotionRefusedException.class).hasMessageContaining("within 1 day(s)").hasMessageContaining("model.horizon-days is 7");
    assertThat(registry.live()).hasValueSatisfying(l -> assertThat(l.version()).isEqualTo("v0002"));

    LiveChange change = promotion.makeLive("v0001", "cli: ops", "  v0002 scores too high on Mondays ", true).change().orElseThrow();
    assertThat(change.previous()).isEqualTo("v0002");
    assertThat(change.reason()).isEqualTo("v0002 scores too high on Mondays");
    assertThat(registry.live()).hasValueSatisfying(l -> assertThat(l.version()).isEqualTo("v0001"));
    assertThat(registry.liveHistory())
        .extracting(LiveChange::version, LiveChange::previous, LiveChange::by)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("v0001", null, "geolake train --as-of " + LAST),
            org.assertj.core.groups.Tuple.tuple("v0002", "v0001", "geolake train --as-of " + LAST),
            org.assertj.core.groups.Tuple.tuple("v0001", "v0002", "cli: ops"));
    assertThat(registry.liveHistory().get(1).reason()).startsWith("live: hold-out AUC-ROC");
    ScoreResult scored = new ScoreStep(catalog, config).execute(LAST);
    assertThat(scored.modelVersion()).isEqualTo("v0001");
    assertThat(scored.revertedRunsLearnedFrom()).containsExactly(LAST + "-1");

    // A registry written before the history was kept: live.json with the version alone still reads.
    Path live = Path.of(new org.apache.hadoop.fs.Path(registry.location()).toUri().getPath(), "live.json");
    Files.writeString(live, "{\"version\": \"v0002\"}");
    assertThat(registry.live()).hasValueSatisfying(l -> assertThat(l.version()).isEqualTo("v0002"));
    assertThat(registry.liveHistory()).isEmpty();
    promotion.makeLive("v0001", "cli: ops", "again", true);
    assertThat(registry.liveHistory()).extracting(LiveChange::previous).containsExactly("v0002");
  }

  @Test
  @Order(8)
  void aUsersOwnSavedPipelineIsTrainedRegisteredAndScoresTheDay() throws Exception {
    String saved = data.resolve("my-model-x").toString();
    new org.apache.spark.ml.Pipeline().setStages(new org.apache.spark.ml.PipelineStage[] {
        new org.apache.spark.ml.feature.StandardScaler().setInputCol("features").setOutputCol("scaled"),
        new org.apache.spark.ml.classification.LogisticRegression().setFeaturesCol("scaled").setMaxIter(50).setRegParam(0.01)})
        .write().overwrite().save(saved);
    GeolakeConfig custom = withSettings(config, "model.algorithm=pipeline", "model.pipeline=" + saved);

    TrainResult result = new TrainStep(catalog, custom).train(LAST);
    ModelVersion v = result.version();
    System.out.printf("model X from a saved pipeline, hold-out: %s%n", v.metrics());
    assertThat(v.algorithm()).isEqualTo("pipeline(StandardScaler, LogisticRegression)");
    assertThat(v.parameters()).containsEntry("pipeline", saved).containsKey("stages");
    assertThat(v.parameters().get("stages").toString()).contains("regParam=0.01", "maxIter=50");
    // Learns the planted relation as the built-in classifiers do, on the same time-split hold-out.
    assertThat(v.metrics().aucRoc()).isGreaterThanOrEqualTo(0.75);
    assertThat(v.liveOnSameHoldout()).isNotNull();

    ModelRegistry registry = new ModelRegistry(spark, config);
    new ManualPromotion(registry, custom.model()).makeLive(v.version(), "cli: ops", "try the user's pipeline", false);
    ScoreResult scored = new ScoreStep(catalog, custom).execute(LAST);
    assertThat(scored.modelVersion()).isEqualTo(v.version());
    assertThat(scored.drift()).hasSize(ModelFeatures.names().size() + 1);
    assertThat(count("SELECT count(*) FROM %s WHERE feature_date = DATE'%s' AND model_version = '%s' AND score BETWEEN 0 AND 1",
        catalog.qualified(Tables.MODEL_SCORES), LAST, v.version()))
        .isEqualTo(count("SELECT count(*) FROM %s WHERE feature_date = DATE'%s'", catalog.qualified(Tables.DEVICE_PROFILES), LAST))
        .isPositive();
  }

  @Test
  @Order(4)
  void revertingARunNamesTheVersionsTrainedOnItsRows() {
    io.geolake.pipeline.run.RunRevert.Result plan = new io.geolake.pipeline.run.RunRevert(catalog, config).revert(LAST, true, "test");
    // Before the daily scoring below, which writes to model_scores outside a run, as the demo does.
    assertThat(plan.trainedSince()).containsExactly("v0001 (live)");
    assertThat(plan.tables()).anyMatch(io.geolake.pipeline.run.RunRevert.TableChange::changes);
    ModelRegistry registry = new ModelRegistry(spark, config);
    assertThat(registry.revertedRunsLearnedFrom("v0001")).isEmpty();

    // Taken back, then run again from the same delivery: v0001 still scores, and says what it learned from.
    new io.geolake.pipeline.run.RunRevert(catalog, config).revert(LAST, false, "test");
    assertThat(registry.revertedRunsLearnedFrom("v0001")).containsExactly(LAST + "-1");
    io.geolake.pipeline.run.RunReport again = new DailyRun(catalog, config, RunListener.NONE).run(LAST);
    assertThat(again.runId()).isEqualTo(LAST + "-2");
    assertThat(again.score().modelVersion()).isEqualTo("v0001");
    assertThat(again.score().revertedRunsLearnedFrom()).containsExactly(LAST + "-1");
    // A run records the drift checks with the quality results.
    assertThat(again.score().drift()).hasSize(ModelFeatures.names().size() + 1);
    assertThat(count("SELECT count(*) FROM %s WHERE run_id = '%s' AND rule LIKE 'model_x_drift_%%' AND check_type = 'psi'",
        catalog.qualified(Tables.QUALITY_RESULTS), again.runId())).isEqualTo(ModelFeatures.names().size() + 1);
  }

  /** This class's config (same catalog, lake and places) with more --set overrides. */
  private static GeolakeConfig withSettings(GeolakeConfig base, String... overrides) {
    List<String> sets = new java.util.ArrayList<>(List.of(
        "catalog.name=" + base.catalog().name(),
        "features.places.geofences=" + base.features().places().geofences(),
        "model.horizon-days=" + base.model().horizonDays(),
        "model.holdout-days=" + base.model().holdoutDays(),
        "model.training-days=" + base.model().trainingDays()));
    sets.addAll(List.of(overrides));
    return config(data, sets.toArray(String[]::new));
  }

  private static List<Row> sorted(Dataset<Row> rows) {
    return rows.orderBy("feature_date", "device").collectAsList();
  }

  /** Equal rows, doubles within 1e-6: sums over files in another order differ in the last bits. */
  private static void assertSameRows(List<Row> actual, List<Row> expected) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      Row e = expected.get(i);
      Row a = actual.get(i);
      for (int f = 0; f < e.size(); f++) {
        String where = "row " + i + " (" + e.get(0) + ", " + e.get(1) + "), field " + e.schema().fields()[f].name();
        if (e.get(f) instanceof Double d && a.get(f) instanceof Double other) {
          assertThat(other).as(where).isCloseTo(d, org.assertj.core.api.Assertions.within(1e-6 * Math.max(1, Math.abs(d))));
        } else {
          assertThat(a.get(f)).as(where).isEqualTo(e.get(f));
        }
      }
    }
  }
}
