package io.geolake.pipeline.spark;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.Map;
import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetProvider;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.jdbc.JdbcCatalog;
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
 */
public final class SqliteJdbcCatalog extends JdbcCatalog {
  public SqliteJdbcCatalog() {
    super(null, properties -> new Pool(properties.get(CatalogProperties.URI), properties), true);
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
