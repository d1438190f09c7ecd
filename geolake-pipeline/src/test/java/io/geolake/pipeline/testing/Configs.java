package io.geolake.pipeline.testing;

import io.geolake.core.config.ConfigLoader;
import io.geolake.core.config.GeolakeConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Derives a config from another with extra {@code --set} style overrides. */
public record Configs(GeolakeConfig base) {
  public GeolakeConfig with(String... overrides) {
    List<String> sets = new ArrayList<>();
    sets.add("data=" + base.data());
    sets.add("catalog.name=" + base.catalog().name());
    sets.add("spark.shuffle-partitions=" + base.spark().shufflePartitions());
    sets.addAll(Arrays.asList(overrides));
    return ConfigLoader.load(null, sets);
  }
}
