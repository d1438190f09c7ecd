package io.geolake.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestLocations {
  @Test
  void localPathsBecomeAbsoluteFileUris() {
    GeolakeConfig c = ConfigLoader.load(null, List.of("data=/tmp/gl data/"));
    Locations l = Locations.of(c);
    assertThat(l.data().toString()).isEqualTo("file:/tmp/gl%20data");
    assertThat(l.landing().toString()).isEqualTo("file:/tmp/gl%20data/landing");
    assertThat(l.warehouse().toString()).isEqualTo("file:/tmp/gl%20data/warehouse");
    assertThat(l.catalogUri()).isEqualTo("jdbc:sqlite:/tmp/gl data/catalog.db?journal_mode=WAL");
    assertThat(l.runStoreUri()).isEqualTo("jdbc:sqlite:/tmp/gl data/runs.db?journal_mode=WAL");
    assertThat(l.sourceRoot("pings", c.sources().get("pings")).toString())
        .isEqualTo("file:/tmp/gl%20data/landing/pings");
    assertThat(Path.of(l.data())).isEqualTo(Path.of("/tmp/gl data"));
  }

  @Test
  void remoteDataNeedsExplicitCatalogAndRunStoreUris() {
    GeolakeConfig c = ConfigLoader.load(null, List.of("data=s3://bucket/lake"));
    assertThatThrownBy(() -> Locations.of(c)).hasMessageContaining("'catalog.uri'");
    GeolakeConfig hadoop = ConfigLoader.load(null, List.of("data=s3://bucket/lake", "catalog.type=hadoop"));
    assertThatThrownBy(() -> Locations.of(hadoop)).hasMessageContaining("'runs.uri'");
    Locations l =
        Locations.of(
            ConfigLoader.load(
                null, List.of("data=s3://bucket/lake", "catalog.type=hadoop", "runs.uri=jdbc:postgresql://db:5432/geolake")));
    assertThat(l.warehouse().toString()).isEqualTo("s3://bucket/lake/warehouse");
    assertThat(l.runStoreUri()).isEqualTo("jdbc:postgresql://db:5432/geolake");
  }

  @Test
  void aRestCatalogNeedsItsHttpUriAndKeepsItsWarehouseNameOutOfTheFileLocations() {
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("catalog.type=rest")))
        .hasMessageContaining("'catalog.uri'")
        .hasMessageContaining("https://glue.us-east-1.amazonaws.com/iceberg");
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("catalog.type=rest", "catalog.uri=jdbc:postgresql://db/geolake")))
        .hasMessageContaining("'catalog.uri'");
    GeolakeConfig c =
        ConfigLoader.load(
            null,
            List.of("data=s3://bucket/lake", "catalog.type=rest", "catalog.uri=https://glue.us-east-1.amazonaws.com/iceberg",
                "catalog.warehouse=123456789012", "runs.uri=jdbc:postgresql://db:5432/geolake"));
    Locations l = Locations.of(c);
    // The account id names the Glue catalog; geolake's own files still go under the data folder.
    assertThat(l.warehouse().toString()).isEqualTo("s3://bucket/lake/warehouse");
    assertThat(c.catalog().tableLocation()).isEqualTo(GeolakeConfig.TableLocation.DATA);
  }
}
