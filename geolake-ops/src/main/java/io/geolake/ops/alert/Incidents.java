package io.geolake.ops.alert;

import io.geolake.pipeline.run.RunStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Open and closed incidents, kept in the run store's database beside the runs, so that every
 * process (geolake run, backfill, serve) shares one view of what was already sent.
 */
public final class Incidents {
  private final RunStore store;

  public Incidents(RunStore store) {
    this.store = store;
    try (Connection c = store.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS geolake_incidents ("
          + " incident VARCHAR(256) PRIMARY KEY, kind VARCHAR(32) NOT NULL, logical_date VARCHAR(10) NOT NULL, title VARCHAR(1024) NOT NULL,"
          + " opened_at BIGINT NOT NULL, last_sent_at BIGINT, closed_at BIGINT, occurrences INTEGER NOT NULL)");
    } catch (SQLException e) {
      throw failure("create the incidents table", e);
    }
  }

  Optional<Incident> find(String key) {
    List<Incident> found = query("SELECT * FROM geolake_incidents WHERE incident = ?", key);
    return found.stream().findFirst();
  }

  /**
   * The date's open incidents that its next successful run settles: failed runs, quality rules,
   * missed SLAs. Not failed maintenance (the next maintenance settles it) nor a model that learned
   * from reverted rows (a clean version scoring does).
   */
  List<Incident> openOn(LocalDate date) {
    return query("SELECT * FROM geolake_incidents WHERE logical_date = ? AND kind IN (?, ?, ?) AND closed_at IS NULL ORDER BY opened_at",
        date.toString(), AlertKind.RUN_FAILED.name(), AlertKind.QUALITY_FAILED.name(), AlertKind.SLA_MISSED.name());
  }

  /** The newest incidents first; open ones only unless {@code all}. */
  public List<Incident> recent(boolean all, int limit) {
    return query("SELECT * FROM geolake_incidents" + (all ? "" : " WHERE closed_at IS NULL") + " ORDER BY opened_at DESC LIMIT ?", limit);
  }

  List<Incident> openOfKind(AlertKind kind) {
    return query("SELECT * FROM geolake_incidents WHERE kind = ? AND closed_at IS NULL ORDER BY opened_at", kind.name());
  }

  void open(Alert alert, Instant now) {
    if (find(alert.incident()).isPresent()) {
      update("UPDATE geolake_incidents SET kind = ?, title = ?, opened_at = ?, last_sent_at = NULL, closed_at = NULL, occurrences = 1 WHERE incident = ?",
          alert.kind().name(), alert.title(), now.toEpochMilli(), alert.incident());
    } else {
      update("INSERT INTO geolake_incidents (incident, kind, logical_date, title, opened_at, occurrences) VALUES (?, ?, ?, ?, ?, 1)",
          alert.incident(), alert.kind().name(), alert.date().toString(), alert.title(), now.toEpochMilli());
    }
  }

  void recurred(String key) {
    update("UPDATE geolake_incidents SET occurrences = occurrences + 1 WHERE incident = ?", key);
  }

  void sent(String key, Instant now) {
    update("UPDATE geolake_incidents SET last_sent_at = ? WHERE incident = ?", now.toEpochMilli(), key);
  }

  void close(String key, Instant now) {
    update("UPDATE geolake_incidents SET closed_at = ? WHERE incident = ?", now.toEpochMilli(), key);
  }

  private List<Incident> query(String sql, Object... args) {
    List<Incident> incidents = new ArrayList<>();
    try (Connection c = store.connect(); PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          incidents.add(new Incident(r.getString("incident"), r.getString("kind"), LocalDate.parse(r.getString("logical_date")), r.getString("title"),
              instant(r, "opened_at"), instant(r, "last_sent_at"), instant(r, "closed_at"), r.getInt("occurrences")));
        }
      }
    } catch (SQLException e) {
      throw failure("read incidents", e);
    }
    return incidents;
  }

  private void update(String sql, Object... args) {
    store.execute("record an incident", sql, args);
  }

  private static Instant instant(ResultSet r, String column) throws SQLException {
    long millis = r.getLong(column);
    return r.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  private IllegalStateException failure(String what, SQLException e) {
    return new IllegalStateException("Cannot " + what + " in the run store " + store.describe() + ": " + e.getMessage(), e);
  }
}
