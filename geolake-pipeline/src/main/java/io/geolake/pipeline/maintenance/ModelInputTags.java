package io.geolake.pipeline.maintenance;

import io.geolake.core.config.GeolakeConfig;
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
 * snapshot expiry keeps tagged snapshots, so a version's training data stays readable — the live
 * version's while it is live, the others until they are older than {@code
 * maintenance.model-input-retention}; then the tag is released and the snapshots expire as any
 * other (taking with them rows erased since, by geolake forget or data retention).
 */
final class ModelInputTags {
  static final String PREFIX = "model-x-";

  private ModelInputTags() {}

  /** Table (layer.name) to the tags it should have at {@code now}: tag name to snapshot id. */
  static Map<String, Map<String, Long>> wanted(LakehouseCatalog catalog, GeolakeConfig config, java.time.Instant now) {
    Map<String, Map<String, Long>> wanted = new LinkedHashMap<>();
    ModelRegistry registry = new ModelRegistry(catalog.spark(), config);
    String live = registry.live().map(ModelVersion::version).orElse(null);
    java.time.Instant keptSince = now.minus(config.maintenance().modelInputRetention());
    for (ModelVersion version : registry.versions()) {
      boolean kept = version.version().equals(live) || version.createdAt() == null || !version.createdAt().isBefore(keptSince);
      if (version.snapshots() == null || !kept) {
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

  /**
   * The model-input tags the table has but should not any more (their version retired past the
   * retention); removed unless {@code dryRun}. Returns their names.
   */
  static List<String> release(Table table, Map<String, Long> wanted, boolean dryRun) {
    List<String> released = new ArrayList<>();
    table.refs().forEach((name, ref) -> {
      if (ref.isTag() && name.startsWith(PREFIX) && !wanted.containsKey(name)) {
        released.add(name);
      }
    });
    java.util.Collections.sort(released);
    if (!dryRun && !released.isEmpty()) {
      org.apache.iceberg.ManageSnapshots manage = table.manageSnapshots();
      released.forEach(manage::removeTag);
      manage.commit();
    }
    return released;
  }
}
