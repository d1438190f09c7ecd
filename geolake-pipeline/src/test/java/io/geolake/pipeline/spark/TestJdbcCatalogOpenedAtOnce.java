package io.geolake.pipeline.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.pipeline.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes that open a new lake at the same moment (a cron run and a hand-run one, serve and a
 * run) both find Iceberg's catalog tables without the column views need and both add it: the
 * second used to fail with "duplicate column name: iceberg_type".
 */
class TestJdbcCatalogOpenedAtOnce {
  private static final int OPENERS = 8;

  @TempDir Path data;

  @Test
  void catalogsOpenedAtOnceOnANewSqliteDatabaseAllOpen() throws Exception {
    for (int round = 0; round < 5; round++) {
      String uri = "jdbc:sqlite:" + data.resolve("catalog-" + round + ".db") + "?journal_mode=WAL";
      allOpen(openAtOnce(uri, SqliteJdbcCatalog::new));
    }
  }

  @Test
  void catalogsOpenedAtOnceOnANewPostgresDatabaseAllOpen() throws Exception {
    String server = PostgresServer.jdbcUrl();
    for (int round = 0; round < 3; round++) {
      String database = "opened_at_once_" + round + "_" + System.nanoTime();
      try (Connection admin = DriverManager.getConnection(server); Statement statement = admin.createStatement()) {
        statement.execute("CREATE DATABASE " + database);
      }
      allOpen(openAtOnce(server.replaceFirst("(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database), ConcurrentJdbcCatalog::new));
    }
  }

  /**
   * All opened; then all create one namespace at once: one creates it, and every other is told it
   * already exists, which {@code CREATE NAMESPACE IF NOT EXISTS} accepts.
   */
  private static void allOpen(List<JdbcCatalog> opened) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(OPENERS);
    try {
      assertThat(opened).hasSize(OPENERS);
      CyclicBarrier start = new CyclicBarrier(OPENERS);
      List<CompletableFuture<String>> creations = opened.stream()
          .map(catalog -> CompletableFuture.supplyAsync(() -> {
            try {
              start.await();
              catalog.createNamespace(Namespace.of("raw"));
              return "created";
            } catch (AlreadyExistsException e) {
              return "already exists";
            } catch (Exception e) {
              return e.toString();
            }
          }, threads))
          .toList();
      List<String> outcomes = creations.stream().map(CompletableFuture::join).toList();
      assertThat(outcomes).containsOnly("created", "already exists").containsOnlyOnce("created");
      assertThat(opened).allSatisfy(c -> assertThat(c.namespaceExists(Namespace.of("raw"))).isTrue());
    } finally {
      threads.shutdownNow();
      for (JdbcCatalog catalog : opened) {
        catalog.close();
      }
    }
  }

  private List<JdbcCatalog> openAtOnce(String uri, Supplier<JdbcCatalog> catalogs) throws Exception {
    // As LakehouseCatalog opens them: views enabled, and on SQLite one connection that waits its turn.
    Map<String, String> properties = new HashMap<>(Map.of("uri", uri, "warehouse", data.resolve("warehouse").toString(), "jdbc.schema-version", "V1"));
    if (uri.startsWith("jdbc:sqlite:")) {
      properties.putAll(Map.of("clients", "1", "jdbc.busy_timeout", "30000"));
    }
    CyclicBarrier start = new CyclicBarrier(OPENERS);
    ExecutorService pool = Executors.newFixedThreadPool(OPENERS);
    try {
      List<Future<JdbcCatalog>> futures = new ArrayList<>();
      for (int i = 0; i < OPENERS; i++) {
        futures.add(pool.submit(() -> {
          JdbcCatalog catalog = catalogs.get();
          start.await();
          catalog.initialize("lake", properties);
          return catalog;
        }));
      }
      List<JdbcCatalog> opened = new ArrayList<>();
      for (Future<JdbcCatalog> future : futures) {
        opened.add(future.get());
      }
      return opened;
    } finally {
      pool.shutdownNow();
    }
  }
}
