package io.geolake.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import io.geolake.generator.GeneratorSettings;
import io.geolake.generator.SyntheticDeliveries;
import io.geolake.pipeline.maintenance.TableMaintenance;
import io.geolake.pipeline.maintenance.TableMaintenanceResult;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.geolake.pipeline.testing.TableContents;
import io.geolake.restfixture.RestCatalogServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake in an Iceberg REST catalog (catalog.type: rest), served by Iceberg's own REST catalog
 * server in a JVM of its own: the same tables as with the embedded catalog, registered only in the
 * server, readable by any other client of it, maintained like the others.
 */
class TestRunOnRestCatalog extends BaseSparkTest {
  private static final LocalDate DAY = LocalDate.of(2024, 5, 6);

  @TempDir Path serverFolder;
  @TempDir Path data;
  /** One server per test: a REST catalog holds one lake's tables under fixed names. */
  private RestCatalogServer server;

  @BeforeEach
  void startServer() {
    server = RestCatalogServer.start(serverFolder);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void dailyRunsGiveTheSameTablesAsTheEmbeddedCatalogKeptInTheServerWithFilesUnderTheDataFolder() throws Exception {
    Path landing = data.resolve("landing");
    new SyntheticDeliveries(GeneratorSettings.defaults(6, 2, DAY, 21)).writeTo(landing, s -> {});
    Path restData = data.resolve("rest-lake");
    GeolakeConfig rest = config(restData, "landing=" + landing, "catalog.type=rest", "catalog.uri=" + server.uri());
    GeolakeConfig embedded = config(data.resolve("embedded-lake"), "landing=" + landing);
    LakehouseCatalog restCatalog = catalog(rest);
    LakehouseCatalog embeddedCatalog = catalog(embedded);

    for (LocalDate day : List.of(DAY, DAY.plusDays(1))) {
      new DailyRun(restCatalog, rest, RunListener.NONE).run(day);
      new DailyRun(embeddedCatalog, embedded, RunListener.NONE).run(day);
    }

    Map<String, List<String>> restTables = TableContents.of(restCatalog, Set.of());
    assertThat(restTables.get("staging.pings")).hasSizeGreaterThan(500);
    assertThat(restTables.get("consumption.device_daily_features")).isNotEmpty();
    assertThat(restTables).isEqualTo(TableContents.of(embeddedCatalog, Set.of()));

    // Registered in the server's catalog, and nowhere else.
    assertThat(serverTables()).containsExactlyInAnyOrderElementsOf(Tables.ALL.stream().map(TableDefinition::qualifiedName).toList());
    assertThat(restData.resolve("catalog.db")).doesNotExist();
    // geolake placed every table under <data>/warehouse/<layer>/<table>; the server's warehouse stays empty.
    for (TableDefinition table : Tables.ALL) {
      Table t = restCatalog.table(table);
      assertThat(Path.of(java.net.URI.create(t.location())))
          .isEqualTo(restData.resolve("warehouse").resolve(table.layer().namespace()).resolve(table.name()));
    }
    assertThat(filesUnder(server.warehouse())).isEmpty();

    // Another client of the same server (as Athena or Trino would be) reads what the runs published.
    LakehouseCatalog otherClient = catalog(config(data.resolve("other-client"), "catalog.type=rest", "catalog.uri=" + server.uri()));
    assertThat(count("SELECT count(*) FROM %s", otherClient.qualified(Tables.STAGING_PINGS))).isEqualTo(restTables.get("staging.pings").size());

    // Maintenance works through the REST catalog: every snapshot but the newest expires, rows stay.
    GeolakeConfig maintain = new io.geolake.pipeline.testing.Configs(rest).with("catalog.type=rest", "catalog.uri=" + server.uri(), "landing=" + landing,
        "maintenance.snapshot-retention=PT0S", "maintenance.retain-last=1");
    List<TableMaintenanceResult> results = new TableMaintenance(restCatalog, maintain).run(Instant.now(), false, r -> {});
    assertThat(results).hasSize(Tables.ALL.size());
    TableMaintenanceResult staging = results.stream().filter(r -> r.table().equals(Tables.STAGING_PINGS.qualifiedName())).findFirst().orElseThrow();
    assertThat(staging.snapshotsBefore()).isGreaterThan(1);
    assertThat(staging.snapshotsAfter()).isEqualTo(1);
    assertThat(TableContents.of(restCatalog, Set.of())).isEqualTo(restTables);
  }

  @Test
  void withTableLocationCatalogTheServerPlacesTheTables() {
    GeolakeConfig config = config(data, "catalog.type=rest", "catalog.uri=" + server.uri(), "catalog.table-location=catalog");
    LakehouseCatalog catalog = catalog(config);
    catalog.ensureTables(config);

    String location = catalog.table(Tables.STAGING_PINGS).location();
    assertThat(location).startsWith(server.warehouse().toUri().toString()).endsWith("/staging/pings");
    assertThat(Files.exists(data.resolve("warehouse"))).isFalse();
  }

  private List<String> serverTables() throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + server.catalogDatabase());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT table_namespace, table_name FROM iceberg_tables")) {
      while (r.next()) {
        names.add(r.getString(1) + "." + r.getString(2));
      }
    }
    return names;
  }

  private static List<Path> filesUnder(Path folder) throws Exception {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }
}
