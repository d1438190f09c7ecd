package io.geolake.pipeline.access;

import io.geolake.pipeline.run.RunStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Every SQL statement a user ran or was refused, kept in the run store's database beside the runs
 * (CloudTrail's record of Athena queries): who, in which role, from where, the statement, the
 * tables it read, the outcome and rows returned. A statement is recorded before it runs, so one
 * whose process died shows as running.
 */
public final class QueryAudit {
  /** What became of a statement. */
  public enum Outcome { RUNNING, OK, DENIED, FAILED }

  /** One audited statement; finishedAt, tables and rows stay null until known. */
  public record Entry(
      String queryId, Instant startedAt, Instant finishedAt, String user, String role, String via, String statement,
      String tables, Outcome outcome, String detail, Long rows) {}

  /** The last start time this process recorded: starts are kept strictly increasing, so the newest-first order is exact. */
  private static final java.util.concurrent.atomic.AtomicLong LAST_START = new java.util.concurrent.atomic.AtomicLong();

  private final RunStore store;

  public QueryAudit(RunStore store) {
    this.store = store;
    try (Connection c = store.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS geolake_query_audit ("
          + " query_id VARCHAR(64) PRIMARY KEY, started_at BIGINT NOT NULL, finished_at BIGINT, user_name VARCHAR(256) NOT NULL,"
          + " role VARCHAR(64) NOT NULL, via VARCHAR(16) NOT NULL, statement TEXT NOT NULL, tables TEXT, outcome VARCHAR(16) NOT NULL,"
          + " detail TEXT, rows_returned BIGINT)");
    } catch (SQLException e) {
      throw failure("create the query audit table", e);
    }
  }

  /** Records a statement about to run; returns its id. */
  public String started(String user, String role, String via, String statement, List<String> tables) {
    String id = UUID.randomUUID().toString();
    update("INSERT INTO geolake_query_audit (query_id, started_at, user_name, role, via, statement, tables, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        id, startMillis(), user, role, via, statement, String.join(",", tables), Outcome.RUNNING.name());
    return id;
  }

  public void finished(String queryId, long rows) {
    update("UPDATE geolake_query_audit SET finished_at = ?, outcome = ?, rows_returned = ? WHERE query_id = ?",
        Instant.now().toEpochMilli(), Outcome.OK.name(), rows, queryId);
  }

  public void failed(String queryId, String error) {
    update("UPDATE geolake_query_audit SET finished_at = ?, outcome = ?, detail = ? WHERE query_id = ?",
        Instant.now().toEpochMilli(), Outcome.FAILED.name(), error, queryId);
  }

  /** Records a statement that was refused, or that failed before it could run (invalid SQL). */
  public void refused(String user, String role, String via, String statement, Outcome outcome, String detail) {
    long now = startMillis();
    update("INSERT INTO geolake_query_audit (query_id, started_at, finished_at, user_name, role, via, statement, outcome, detail)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        UUID.randomUUID().toString(), now, now, user, role, via, statement, outcome.name(), detail);
  }

  private static long startMillis() {
    long now = Instant.now().toEpochMilli();
    return LAST_START.updateAndGet(last -> Math.max(now, last + 1));
  }

  /** The newest entries first; user null for everyone's. */
  public List<Entry> recent(String user, int limit) {
    String sql = "SELECT * FROM geolake_query_audit" + (user == null ? "" : " WHERE user_name = ?") + " ORDER BY started_at DESC, query_id LIMIT " + limit;
    List<Entry> entries = new ArrayList<>();
    try (Connection c = store.connect(); PreparedStatement s = c.prepareStatement(sql)) {
      if (user != null) {
        s.setString(1, user);
      }
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          long finished = r.getLong("finished_at");
          Instant finishedAt = r.wasNull() ? null : Instant.ofEpochMilli(finished);
          long rows = r.getLong("rows_returned");
          Long rowsReturned = r.wasNull() ? null : rows;
          entries.add(new Entry(r.getString("query_id"), Instant.ofEpochMilli(r.getLong("started_at")), finishedAt, r.getString("user_name"),
              r.getString("role"), r.getString("via"), r.getString("statement"), r.getString("tables"), Outcome.valueOf(r.getString("outcome")),
              r.getString("detail"), rowsReturned));
        }
      }
    } catch (SQLException e) {
      throw failure("read the query audit", e);
    }
    return entries;
  }

  /**
   * Deletes the entries of statements started before {@code before} (maintenance.audit-retention);
   * in a dry run only counts them.
   *
   * @return how many were (or would be) deleted
   */
  public long expire(Instant before, boolean dryRun) {
    String where = " FROM geolake_query_audit WHERE started_at < ?";
    try (Connection c = store.connect();
        PreparedStatement s = c.prepareStatement(dryRun ? "SELECT count(*)" + where : "DELETE" + where)) {
      s.setLong(1, before.toEpochMilli());
      if (!dryRun) {
        return s.executeUpdate();
      }
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    } catch (SQLException e) {
      throw failure("expire old entries of the query audit", e);
    }
  }

  /**
   * Replaces a text (a forgotten device's id) wherever the recorded statements and errors hold it.
   *
   * @return the entries changed
   */
  public long redact(String text, String replacement) {
    try (Connection c = store.connect();
        PreparedStatement s = c.prepareStatement("UPDATE geolake_query_audit SET statement = replace(statement, ?, ?),"
            + " detail = replace(detail, ?, ?) WHERE statement <> replace(statement, ?, ?) OR detail <> replace(detail, ?, ?)")) {
      for (int i = 0; i < 4; i++) {
        s.setString(2 * i + 1, text);
        s.setString(2 * i + 2, replacement);
      }
      return s.executeUpdate();
    } catch (SQLException e) {
      throw failure("redact the query audit", e);
    }
  }

  private void update(String sql, Object... args) {
    store.execute("write the query audit", sql, args);
  }

  private IllegalStateException failure(String what, SQLException e) {
    return new IllegalStateException("Cannot " + what + " in the run store " + store.describe() + ": " + e.getMessage(), e);
  }
}
