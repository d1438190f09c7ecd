package io.geolake.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The synthetic city's places of interest as a GeoJSON FeatureCollection, the form geolake reads
 * from {@code features.places.geofences}. Odd places are written as circles (a Point with
 * radius_m), even ones as the square around the circle, so both kinds of geofence get used.
 */
public final class PlacesOfInterest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PlacesOfInterest() {}

  /** Writes the file atomically; returns its path. */
  public static Path writeTo(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), geoJson());
      return Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write places of interest to " + file + ": " + e.getMessage(), e);
    }
  }

  static ObjectNode geoJson() {
    ObjectNode root = JSON.createObjectNode().put("type", "FeatureCollection");
    ArrayNode features = root.putArray("features");
    int index = 0;
    for (PlaceOfInterest place : City.PLACES_OF_INTEREST) {
      ObjectNode feature = features.addObject().put("type", "Feature").put("id", place.id());
      ObjectNode properties = feature.putObject("properties").put("name", place.name());
      ObjectNode geometry = feature.putObject("geometry");
      GeoPoint c = place.centre();
      if (index++ % 2 == 0) {
        properties.put("radius_m", place.radiusMetres());
        geometry.put("type", "Point").putArray("coordinates").add(c.longitude()).add(c.latitude());
      } else {
        double r = place.radiusMetres();
        ArrayNode ring = geometry.put("type", "Polygon").putArray("coordinates").addArray();
        for (double[] corner : new double[][] {{-r, -r}, {-r, r}, {r, r}, {r, -r}, {-r, -r}}) {
          GeoPoint p = c.offsetMetres(corner[0], corner[1]);
          ring.addArray().add(p.longitude()).add(p.latitude());
        }
      }
    }
    return root;
  }
}
