package io.geolake.pipeline.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Optional;
import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetProvider;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.jdbc.JdbcClientPool;

/**
 * Iceberg's JDBC catalog over the embedded SQLite database, made to see other writers' commits.
 *
 * <p>When it opens, Iceberg's JdbcCatalog (1.10) checks for its tables and columns with {@code
 * DatabaseMetaData.getTables/getColumns} results that it reads one row of and never closes. On
 * SQLite in WAL mode an unfinished statement keeps its connection's read transaction open, so the
 * catalog — one pooled connection — went on seeing the database as it was when it opened: a
 * second session (serve's users' queries) or process never saw a run published after that. Here
 * every metadata result is copied (a disconnected {@link CachedRowSet}) and closed at once.
 *
 * <p>Catalogs open one at a time on this computer, under a lock file beside the database: two
 * connections that create a new database together race to set it to WAL mode and one fails
 * ("SQLITE_IOERR_DELETE_NOENT"), then both to add Iceberg's column for views.
 */
public final class SqliteJdbcCatalog extends ConcurrentJdbcCatalog {
  /** Serializes this JVM's openings: a file lock is held by the process, not by a thread. */
  private static final Object OPENING = new Object();

  public SqliteJdbcCatalog() {
    super(properties -> new Pool(properties.get(CatalogProperties.URI), properties));
  }

  @Override
  public void initialize(String name, Map<String, String> properties) {
    Optional<Path> lockFile = lockFile(properties.get(CatalogProperties.URI));
    synchronized (OPENING) {
      if (lockFile.isEmpty()) {
        super.initialize(name, properties);
        return;
      }
      try (FileChannel channel = FileChannel.open(lockFile.get(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        super.initialize(name, properties);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot lock " + lockFile.get() + " to open the catalog database beside it: " + e.getMessage(), e);
      }
    }
  }

  /**
   * The lock file of a database given by path, {@code jdbc:sqlite:/lake/catalog.db?...}; none for an
   * in-memory one or a folder that does not exist, which SQLite itself reports when it opens.
   */
  static Optional<Path> lockFile(String uri) {
    String location = uri == null ? "" : uri.replaceFirst("^jdbc:sqlite:", "").replaceFirst("\\?.*$", "");
    if (location.isEmpty() || location.startsWith(":") || location.startsWith("file:")) {
      return Optional.empty();
    }
    Path database = Path.of(location).toAbsolutePath();
    return Files.isDirectory(database.getParent())
        ? Optional.of(database.resolveSibling(database.getFileName() + "-open.lock"))
        : Optional.empty();
  }

  private static final class Pool extends JdbcClientPool {
    Pool(String uri, Map<String, String> properties) {
      super(uri, properties);
    }

    @Override
    protected Connection newClient() {
      return closingMetadataResults(super.newClient());
    }
  }

  private static Connection closingMetadataResults(Connection connection) {
    return proxy(Connection.class, connection, (method, args) -> {
      Object result = method.invoke(connection, args);
      return result instanceof DatabaseMetaData metadata ? copyingResults(metadata) : result;
    });
  }

  private static DatabaseMetaData copyingResults(DatabaseMetaData metadata) {
    return proxy(DatabaseMetaData.class, metadata, (method, args) -> {
      Object result = method.invoke(metadata, args);
      if (!(result instanceof ResultSet live)) {
        return result;
      }
      try (live) {
        CachedRowSet copy = RowSetProvider.newFactory().createCachedRowSet();
        copy.populate(live);
        return copy;
      }
    });
  }

  private interface Call {
    Object invoke(java.lang.reflect.Method method, Object[] args) throws Exception;
  }

  private static <T> T proxy(Class<T> type, T target, Call call) {
    return type.cast(Proxy.newProxyInstance(SqliteJdbcCatalog.class.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
      try {
        return call.invoke(method, args);
      } catch (InvocationTargetException e) {
        throw e.getCause(); // the driver's own SQLException, not the reflection wrapper
      }
    }));
  }
}
