package io.geolake.pipeline.maintenance;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;
import io.geolake.pipeline.model.ModelRegistry;
import io.geolake.pipeline.model.ModelVersion;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;

/**
 * Tags on the snapshots a registered model version was trained from, {@code model-x-<version>}:
 * snapshot expiry keeps tagged snapshots, so a version's training data stays readable.
 */
final class ModelInputTags {
  static final String PREFIX = "model-x-";

  private ModelInputTags() {}

  /** Table (layer.name) to the tags it should have: tag name to snapshot id. */
  static Map<String, Map<String, Long>> wanted(LakehouseCatalog catalog, GeolakeConfig config) {
    Map<String, Map<String, Long>> wanted = new LinkedHashMap<>();
    for (ModelVersion version : new ModelRegistry(catalog.spark(), Locations.of(config)).versions()) {
      if (version.snapshots() == null) {
        continue;
      }
      version.snapshots().forEach((table, snapshot) -> {
        if (snapshot != null) {
          wanted.computeIfAbsent(table, t -> new LinkedHashMap<>()).put(PREFIX + version.version(), snapshot);
        }
      });
    }
    return wanted;
  }

  /**
   * Creates the missing tags whose snapshot the table still has; returns the names created. A
   * snapshot already gone (expired before versions were tagged) cannot be tagged any more.
   */
  static List<String> create(Table table, Map<String, Long> tags) {
    List<String> created = new ArrayList<>();
    tags.forEach((name, snapshot) -> {
      if (!table.refs().containsKey(name) && table.snapshot(snapshot) != null) {
        table.manageSnapshots().createTag(name, snapshot).commit();
        created.add(name);
      }
    });
    return created;
  }
}
