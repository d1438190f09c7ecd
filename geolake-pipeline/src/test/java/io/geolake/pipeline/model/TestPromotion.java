package io.geolake.pipeline.model;

import static io.geolake.core.config.GeolakeConfig.PromotionMetric.AUC_PR;
import static io.geolake.core.config.GeolakeConfig.PromotionMetric.AUC_ROC;
import static io.geolake.core.config.GeolakeConfig.PromotionMetric.LOG_LOSS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Whether a new version of model X goes live, by the configured hold-out metric. */
class TestPromotion {
  @Test
  void aVersionWorseByTheMetricDoesNotGoLive() {
    ModelMetrics live = new ModelMetrics(0.80, 0.4, 0.4, 0.2, 400);
    assertThat(Promotion.decide(new ModelMetrics(0.78, 0.4, 0.4, 0.2, 400), "v0001", live, AUC_ROC, 0.01).promote()).isFalse();
    assertThat(Promotion.decide(new ModelMetrics(0.79, 0.4, 0.4, 0.2, 400), "v0001", live, AUC_ROC, 0.01).promote()).isTrue();
    Promotion kept = Promotion.decide(new ModelMetrics(0.70, 0.4, 0.4, 0.2, 400), "v0001", live, AUC_ROC, 0.0);
    assertThat(kept.decision()).startsWith("kept v0001").contains("0.7000", "0.8000");
    assertThat(Promotion.decide(live, null, null, AUC_ROC, 0.0).promote()).isTrue();
    // By another metric: a version that ranks the rare positives better goes live under auc-pr
    // though its AUC-ROC is worse; under log-loss lower is better.
    ModelMetrics betterAtPositives = new ModelMetrics(0.70, 0.45, 0.5, 0.2, 400);
    assertThat(Promotion.decide(betterAtPositives, "v0001", live, AUC_PR, 0.0).promote()).isTrue();
    assertThat(Promotion.decide(betterAtPositives, "v0001", live, AUC_PR, 0.0).decision()).contains("hold-out AUC-PR 0.4500 vs live v0001 0.4000");
    assertThat(Promotion.decide(betterAtPositives, "v0001", live, AUC_ROC, 0.0).promote()).isFalse();
    assertThat(Promotion.decide(new ModelMetrics(0.80, 0.4, 0.42, 0.2, 400), "v0001", live, LOG_LOSS, 0.01).promote()).isFalse();
    Promotion calibrated = Promotion.decide(new ModelMetrics(0.70, 0.3, 0.405, 0.2, 400), "v0001", live, LOG_LOSS, 0.01);
    assertThat(calibrated.promote()).isTrue();
    assertThat(calibrated.decision()).contains("hold-out log-loss 0.4050 vs live v0001 0.4000", "lower is better");
  }

}
