package io.geolake.pipeline.spark;

import java.util.Map;
import java.util.function.Function;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.jdbc.JdbcClientPool;
import org.apache.iceberg.jdbc.UncheckedSQLException;

/**
 * Iceberg's JDBC catalog, safe for several processes to open a new catalog database at once.
 *
 * <p>Opening, Iceberg's JdbcCatalog (1.10) creates its tables if they are missing, tolerating a
 * racing creator, and then adds the column views need ({@code iceberg_type}) if it is missing, not
 * tolerating one: of two processes that open a new lake together (a scheduled run and a hand-run
 * one, serve and a run), one failed with "duplicate column name" (SQLite) or "column already
 * exists" (PostgreSQL). When that step fails, the catalog opens once more: the column is there by
 * then, so it is only checked; any other failure of the step fails again the same way.
 *
 * <p>Creating a namespace, it checks that it is missing and then inserts it: a process that lost
 * the race got a constraint violation where {@code CREATE NAMESPACE IF NOT EXISTS} expects
 * "already exists". It gets that now.
 */
public class ConcurrentJdbcCatalog extends JdbcCatalog {
  /** What Iceberg says when a statement of the column check or addition fails, connections aside. */
  private static final String SCHEMA_UPDATE_FAILED = "Cannot check and eventually update SQL schema";

  private final PoolsOpened pools;

  public ConcurrentJdbcCatalog() {
    this(properties -> new JdbcClientPool(properties.get(CatalogProperties.URI), properties));
  }

  protected ConcurrentJdbcCatalog(Function<Map<String, String>, JdbcClientPool> newPool) {
    this(new PoolsOpened(newPool));
  }

  private ConcurrentJdbcCatalog(PoolsOpened pools) {
    super(null, pools, true);
    this.pools = pools;
  }

  @Override
  public void initialize(String name, Map<String, String> properties) {
    try {
      super.initialize(name, properties);
    } catch (UncheckedSQLException e) {
      if (!SCHEMA_UPDATE_FAILED.equals(e.getMessage())) {
        throw e;
      }
      pools.closeLast(); // the failed opening's; the catalog only closes the pool it opened with
      super.initialize(name, properties);
    }
  }

  @Override
  public void createNamespace(Namespace namespace, Map<String, String> metadata) {
    try {
      super.createNamespace(namespace, metadata);
    } catch (UncheckedSQLException e) {
      if (namespaceExists(namespace)) {
        throw new AlreadyExistsException(e, "Namespace already exists: %s", namespace);
      }
      throw e;
    }
  }

  /** Opens the catalog's connection pools, remembering the last so that a failed opening's is closed. */
  private static final class PoolsOpened implements Function<Map<String, String>, JdbcClientPool> {
    private final Function<Map<String, String>, JdbcClientPool> newPool;
    private JdbcClientPool last;

    PoolsOpened(Function<Map<String, String>, JdbcClientPool> newPool) {
      this.newPool = newPool;
    }

    @Override
    public JdbcClientPool apply(Map<String, String> properties) {
      last = newPool.apply(properties);
      return last;
    }

    void closeLast() {
      if (last != null) {
        last.close();
      }
    }
  }
}
