package io.geolake.pipeline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A registered version of model X: what it was trained on and how it did, as stored next to the
 * model in the registry ({@code version.json}).
 *
 * @param liveOnSameHoldout the live version's metrics on this version's hold-out when it was
 *     trained (null when there was none): the basis of the promotion decision
 * @param snapshots Iceberg snapshot id of each input table when the training set was read
 */
public record ModelVersion(
    @JsonProperty("version") String version,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("as_of") LocalDate asOf,
    @JsonProperty("algorithm") String algorithm,
    @JsonProperty("parameters") Map<String, Object> parameters,
    @JsonProperty("horizon_days") int horizonDays,
    @JsonProperty("train_from") LocalDate trainFrom,
    @JsonProperty("train_to") LocalDate trainTo,
    @JsonProperty("holdout_from") LocalDate holdoutFrom,
    @JsonProperty("holdout_to") LocalDate holdoutTo,
    @JsonProperty("training_rows") long trainingRows,
    @JsonProperty("training_positive_rate") double trainingPositiveRate,
    @JsonProperty("features") List<String> features,
    @JsonProperty("metrics") ModelMetrics metrics,
    @JsonProperty("live_on_same_holdout") ModelMetrics liveOnSameHoldout,
    @JsonProperty("snapshots") Map<String, Long> snapshots,
    @JsonProperty("promoted") boolean promoted,
    @JsonProperty("decision") String decision) {}
