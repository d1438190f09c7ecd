package io.geolake.pipeline.privacy;

import static java.util.Objects.requireNonNull;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import io.geolake.pipeline.spark.LakehouseCatalog;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Everything the lake holds about devices, for a person's request to see their data: every row of
 * theirs in every table (matched as {@link DeviceErasure} matches them), written as one JSON lines
 * file per table ({@code <layer>.<table>.jsonl}) into a folder (a local path or a URI).
 */
public final class DeviceData {
  private final LakehouseCatalog catalog;
  private final GeolakeConfig config;

  /** One table's file: where it is and how many rows it holds. */
  public record Exported(String table, URI file, long rows) {}

  public DeviceData(LakehouseCatalog catalog, GeolakeConfig config) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.config = requireNonNull(config, "config is null");
  }

  /** Writes the devices' rows of every table that has some; tables without any get no file. */
  public List<Exported> export(List<String> deviceIds, String folder, Consumer<Exported> progress) {
    List<String> pseudonyms = Devices.of(deviceIds, config).pseudonyms();
    URI out = Locations.toUri(folder);
    List<Exported> exported = new ArrayList<>();
    try {
      FileSystem fs = FileSystem.get(out, catalog.spark().sparkContext().hadoopConfiguration());
      for (TableDefinition table : Tables.ALL) {
        String condition = DeviceErasure.condition(table, deviceIds, pseudonyms);
        if (condition == null || !catalog.spark().catalog().tableExists(catalog.qualified(table))) {
          continue;
        }
        catalog.spark().sparkContext().setJobDescription("geolake device-data: " + table.qualifiedName());
        Iterator<String> lines = catalog.spark().sql("SELECT * FROM " + catalog.qualified(table) + " WHERE " + condition).toJSON().toLocalIterator();
        if (!lines.hasNext()) {
          continue;
        }
        URI file = Locations.child(out, table.qualifiedName() + ".jsonl");
        long rows = 0;
        try (OutputStream stream = fs.create(new Path(file), true)) {
          while (lines.hasNext()) {
            stream.write((lines.next() + "\n").getBytes(StandardCharsets.UTF_8));
            rows++;
          }
        }
        Exported done = new Exported(table.qualifiedName(), file, rows);
        exported.add(done);
        progress.accept(done);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the devices' data to " + out + ": " + e.getMessage(), e);
    } finally {
      catalog.spark().sparkContext().setJobDescription(null);
    }
    return exported;
  }
}
