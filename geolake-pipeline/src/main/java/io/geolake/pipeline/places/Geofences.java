package io.geolake.pipeline.places;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geolake.core.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Places of interest from a GeoJSON FeatureCollection: circles (a Point with a {@code radius_m}
 * property) and polygons. Read once on the driver — a list of places is small — and checked feature
 * by feature, so a bad file fails with the feature's position and what to fix.
 */
public final class Geofences {
  /** One row per place; {@code geometry} is the feature's GeoJSON geometry, as text. */
  public static final StructType SCHEMA =
      new StructType()
          .add("place_id", DataTypes.StringType, false)
          .add("place_name", DataTypes.StringType, false)
          .add("geometry", DataTypes.StringType, false)
          .add("radius_m", DataTypes.DoubleType, true);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> AREAS = Set.of("Polygon", "MultiPolygon");

  private final List<Row> places;

  private Geofences(List<Row> places) {
    this.places = List.copyOf(places);
  }

  public static Geofences read(SparkSession spark, String location) {
    URI uri = toUri(location);
    try {
      FileSystem fs = FileSystem.get(uri, spark.sparkContext().hadoopConfiguration());
      try (InputStream in = fs.open(new Path(uri))) {
        return parse(JSON.readTree(in), location);
      }
    } catch (java.io.FileNotFoundException e) {
      throw new ConfigException(
          "Cannot read features.places.geofences: no such file " + location + "; expected a GeoJSON FeatureCollection");
    } catch (IOException e) {
      throw new ConfigException(
          "Cannot read features.places.geofences " + location + ": " + e.getMessage() + "; expected a GeoJSON FeatureCollection", e);
    }
  }

  static Geofences parse(JsonNode root, String location) {
    if (root == null || !"FeatureCollection".equals(root.path("type").asText()) || !root.path("features").isArray()) {
      throw invalid(location, "the file", "a GeoJSON object with \"type\": \"FeatureCollection\" and a features array");
    }
    List<Row> rows = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int index = 0;
    for (JsonNode feature : root.path("features")) {
      String where = "feature " + index++;
      JsonNode properties = feature.path("properties");
      String id = feature.hasNonNull("id") ? feature.get("id").asText() : properties.path("id").asText("");
      if (id.isBlank()) {
        throw invalid(location, where, "an id (the feature's \"id\" or properties.id)");
      }
      if (!ids.add(id)) {
        throw invalid(location, where, "a unique id (\"" + id + "\" is used twice)");
      }
      where += " (id " + id + ")";
      JsonNode geometry = feature.path("geometry");
      String type = geometry.path("type").asText("");
      Double radius = null;
      if (type.equals("Point")) {
        JsonNode r = properties.get("radius_m");
        if (r == null || !r.isNumber() || r.asDouble() <= 0) {
          throw invalid(location, where, "a numeric properties.radius_m > 0 (metres) for a Point place");
        }
        radius = r.asDouble();
        JsonNode coordinates = geometry.path("coordinates");
        if (coordinates.size() < 2 || Math.abs(coordinates.get(0).asDouble()) > 180 || Math.abs(coordinates.get(1).asDouble()) > 90) {
          throw invalid(location, where, "Point coordinates [longitude, latitude] in degrees");
        }
      } else if (!AREAS.contains(type)) {
        throw invalid(location, where, "a Point (with radius_m), Polygon or MultiPolygon geometry (got '" + type + "')");
      }
      String name = properties.path("name").asText(id);
      rows.add(RowFactory.create(id, name, geometry.toString(), radius));
    }
    if (rows.isEmpty()) {
      throw invalid(location, "the file", "at least one feature");
    }
    return new Geofences(rows);
  }

  public int size() {
    return places.size();
  }

  public Dataset<Row> toDataset(SparkSession spark) {
    return spark.createDataFrame(places, SCHEMA);
  }

  private static URI toUri(String location) {
    URI uri = URI.create(location.replace(" ", "%20"));
    return uri.getScheme() == null ? java.nio.file.Path.of(location).toAbsolutePath().toUri() : uri;
  }

  private static ConfigException invalid(String location, String where, String expected) {
    return new ConfigException(
        "Invalid places of interest in " + location + " (features.places.geofences): " + where + " needs " + expected);
  }
}
