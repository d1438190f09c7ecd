package io.geolake.pipeline.places;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.geolake.core.config.ConfigException;
import io.geolake.pipeline.testing.BaseSparkTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestVisits extends BaseSparkTest {
  /** Metres per degree of latitude near 19.4°N on the WGS84 spheroid (for placing test stays). */
  private static final double METRES_PER_DEGREE_LATITUDE = 110_772.0;

  private static final String PLACES =
      """
      {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "zocalo", "properties": {"name": "Zócalo", "radius_m": 100},
         "geometry": {"type": "Point", "coordinates": [-99.1332, 19.4326]}},
        {"type": "Feature", "properties": {"id": "park", "name": "Park"},
         "geometry": {"type": "Polygon", "coordinates": [[[-99.20, 19.40], [-99.19, 19.40], [-99.19, 19.41], [-99.20, 19.41], [-99.20, 19.40]]]}}
      ]}
      """;

  @TempDir Path dir;

  @Test
  void staysInsideACircleOrAPolygonAreVisitsAndJustOutsideAreNot() throws Exception {
    Path file = dir.resolve("places.geojson");
    Files.writeString(file, PLACES);
    Geofences places = Geofences.read(spark, file.toString());
    assertThat(places.size()).isEqualTo(2);

    double inside = 19.4326 + 97 / METRES_PER_DEGREE_LATITUDE; // 97 m north of the circle's centre
    double outside = 19.4326 + 103 / METRES_PER_DEGREE_LATITUDE; // 103 m north
    List<Row> stays =
        List.of(
            stay("in-circle", inside, -99.1332),
            stay("out-of-circle", outside, -99.1332),
            stay("in-polygon", 19.405, -99.195),
            stay("on-polygon-edge", 19.405, -99.19),
            stay("out-of-polygon", 19.405, -99.1899));
    StructType schema =
        new StructType()
            .add("device", DataTypes.StringType)
            .add("started_at", DataTypes.TimestampType)
            .add("finished_at", DataTypes.TimestampType)
            .add("latitude", DataTypes.DoubleType)
            .add("longitude", DataTypes.DoubleType);

    var joined = Visits.of(spark, spark.createDataFrame(stays, schema), places);
    // Sedona plans both joins as indexed broadcast joins, not as a cartesian product with a filter.
    assertThat(joined.queryExecution().executedPlan().toString().split("BroadcastIndexJoin", -1)).hasSize(3);
    List<Row> visits = joined.orderBy("device").collectAsList();

    assertThat(visits).extracting(r -> r.getString(0) + "@" + r.getString(1))
        .containsExactly("in-circle@zocalo", "in-polygon@park", "on-polygon-edge@park");
    Row first = visits.get(0);
    assertThat(first.getString(2)).isEqualTo("Zócalo");
    assertThat(first.getDouble(5)).isEqualTo(5400.0); // 90 minutes of dwell
  }

  @Test
  void aBadPlacesFileNamesTheFeatureAndWhatItNeeds() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertThatThrownBy(
            () -> Geofences.parse(json.readTree("{\"type\": \"FeatureCollection\", \"features\": [{\"id\": \"a\", \"properties\": {},"
                + " \"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}}]}"), "p.geojson"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("p.geojson")
        .hasMessageContaining("feature 0 (id a)")
        .hasMessageContaining("radius_m");
    assertThatThrownBy(
            () -> Geofences.parse(json.readTree("{\"type\": \"FeatureCollection\", \"features\": [{\"properties\": {\"radius_m\": 5},"
                + " \"geometry\": {\"type\": \"Point\", \"coordinates\": [1, 2]}}]}"), "p.geojson"))
        .hasMessageContaining("feature 0 needs an id");
    assertThatThrownBy(
            () -> Geofences.parse(json.readTree("{\"type\": \"FeatureCollection\", \"features\": [{\"id\": 1, \"properties\": {},"
                + " \"geometry\": {\"type\": \"LineString\", \"coordinates\": [[1, 2], [3, 4]]}}]}"), "p.geojson"))
        .hasMessageContaining("got 'LineString'");
    assertThatThrownBy(() -> Geofences.read(spark, dir.resolve("missing.geojson").toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no such file");
  }

  private static Row stay(String device, double latitude, double longitude) {
    return RowFactory.create(
        device,
        Timestamp.valueOf("2024-05-06 10:00:00"),
        Timestamp.valueOf("2024-05-06 11:30:00"),
        latitude,
        longitude);
  }
}
