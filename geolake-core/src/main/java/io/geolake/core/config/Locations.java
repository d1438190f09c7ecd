package io.geolake.core.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where things live, resolved from config: every location is an absolute URI ({@code file:} for
 * local paths, {@code s3://} and friends as given) so that the same value works on the driver and
 * on executors.
 */
public record Locations(URI data, URI landing, URI warehouse, String catalogUri, String runStoreUri) {
  public Locations {
    requireNonNull(data, "data is null");
    requireNonNull(landing, "landing is null");
    requireNonNull(warehouse, "warehouse is null");
  }

  public static Locations of(GeolakeConfig config) {
    URI data = toUri(config.data());
    URI landing = config.landing().isBlank() ? child(data, "landing") : toUri(config.landing());
    // A REST catalog's warehouse is a name the server knows, not a place: geolake's own files (and
    // tables it places itself) go under <data>/warehouse then.
    URI warehouse =
        config.catalog().warehouse().isBlank() || config.catalog().type() == GeolakeConfig.CatalogType.REST
            ? child(data, "warehouse")
            : toUri(config.catalog().warehouse());
    String catalogUri = config.catalog().uri();
    if (catalogUri.isBlank() && config.catalog().type() == GeolakeConfig.CatalogType.JDBC) {
      if (!"file".equals(data.getScheme())) {
        throw new ConfigException(
            "Invalid config value for 'catalog.uri'; expected a JDBC URI when 'data' is not a"
                + " local folder (data is "
                + data
                + "): the embedded SQLite catalog needs a local file");
      }
      // WAL lets readers and the one writer proceed side by side (CLI and serve on one file).
      catalogUri = "jdbc:sqlite:" + Paths.get(child(data, "catalog.db")) + "?journal_mode=WAL";
    }
    String runStoreUri = config.runs().uri();
    if (runStoreUri.isBlank()) {
      if (!"file".equals(data.getScheme())) {
        throw new ConfigException(
            "Invalid config value for 'runs.uri'; expected a JDBC URI when 'data' is not a local folder (data is "
                + data + "): the embedded SQLite run store needs a local file");
      }
      runStoreUri = "jdbc:sqlite:" + Paths.get(child(data, "runs.db")) + "?journal_mode=WAL";
    }
    return new Locations(data, landing, warehouse, catalogUri, runStoreUri);
  }

  /** Folder of one source's deliveries. */
  public URI sourceRoot(String sourceName, GeolakeConfig.Source source) {
    return source.path().isBlank() ? child(landing, sourceName) : toUri(source.path());
  }

  /** A local path or URI string as an absolute URI without a trailing slash. */
  public static URI toUri(String location) {
    String trimmed = location.trim();
    if (trimmed.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || trimmed.startsWith("file:")) {
      return URI.create(trimmed.replaceAll("/+$", ""));
    }
    Path path = Paths.get(trimmed).toAbsolutePath().normalize();
    try {
      return new URI("file", null, path.toString(), null);
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException("Invalid path '" + location + "': " + e.getMessage(), e);
    }
  }

  public static URI child(URI parent, String name) {
    String base = parent.toString().replaceAll("/+$", "");
    return URI.create(base + "/" + name);
  }
}
