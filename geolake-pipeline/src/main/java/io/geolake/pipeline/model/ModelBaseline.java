package io.geolake.pipeline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a version of model X saw when it was trained, to tell later whether the population it
 * scores still looks like it: each feature's deciles over the training examples and the share of
 * examples between them, and the same for its scores on the hold-out. Stored beside the version
 * ({@code baseline.json}).
 */
public record ModelBaseline(@JsonProperty("features") List<Distribution> features, @JsonProperty("score") Distribution score) {

  /**
   * @param splits bucket edges, ascending, from -Infinity to +Infinity (MLlib Bucketizer's form)
   * @param shares the share of values in each bucket; {@code splits.length - 1} of them
   */
  public record Distribution(@JsonProperty("column") String column, @JsonProperty("splits") double[] splits, @JsonProperty("shares") double[] shares) {}
}
