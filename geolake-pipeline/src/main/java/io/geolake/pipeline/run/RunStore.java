package io.geolake.pipeline.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Run history over JDBC: every run of a logical date, each of its steps with state, attempts,
 * times, rows and the Iceberg snapshot ids it committed, and each step's result so a resumed run
 * can continue from it. SQLite in the data folder by default, PostgreSQL (or any JDBC database
 * with standard SQL) when {@code runs.uri} names one. Plain SQL and epoch-millisecond times keep
 * the schema the same on both.
 */
public final class RunStore {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final List<String> SCHEMA =
      List.of(
          "CREATE TABLE IF NOT EXISTS geolake_runs ("
              + " run_id VARCHAR(64) PRIMARY KEY, logical_date VARCHAR(10) NOT NULL, attempt INTEGER NOT NULL,"
              + " state VARCHAR(16) NOT NULL, branch VARCHAR(64) NOT NULL, holder VARCHAR(512) NOT NULL,"
              + " started_at BIGINT NOT NULL, finished_at BIGINT, error TEXT)",
          "CREATE TABLE IF NOT EXISTS geolake_steps ("
              + " run_id VARCHAR(64) NOT NULL, step VARCHAR(32) NOT NULL, state VARCHAR(16) NOT NULL,"
              + " attempts INTEGER NOT NULL, started_at BIGINT, finished_at BIGINT, rows_in BIGINT, rows_out BIGINT,"
              + " snapshots TEXT, result TEXT, error TEXT, PRIMARY KEY (run_id, step))",
          "CREATE TABLE IF NOT EXISTS geolake_locks ("
              + " name VARCHAR(512) PRIMARY KEY, holder VARCHAR(512) NOT NULL, acquired_at BIGINT NOT NULL, heartbeat_at BIGINT NOT NULL)");

  /** The outcome of asking for a lease: acquired, or refused with the current holder. */
  public record Lease(boolean acquired, String holder, Instant heartbeatAt) {}

  private final String uri;
  private final Properties properties = new Properties();

  public RunStore(GeolakeConfig config) {
    this.uri = Locations.of(config).runStoreUri();
    if (!config.runs().user().isBlank()) {
      properties.setProperty("user", config.runs().user());
      properties.setProperty("password", config.runs().password());
    }
    if (uri.startsWith("jdbc:sqlite:")) {
      properties.setProperty("busy_timeout", "10000");
    }
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String ddl : SCHEMA) {
        s.execute(ddl);
      }
    } catch (SQLException e) {
      throw failure("create the run store tables", e);
    }
  }

  /** The latest run of a date, if any. */
  public Optional<RunRecord> latest(LocalDate date) {
    List<RunRecord> runs = query("SELECT * FROM geolake_runs WHERE logical_date = ? ORDER BY started_at DESC, run_id DESC", date.toString());
    return runs.stream().findFirst();
  }

  /** The earliest date with a run, if any. */
  public Optional<LocalDate> firstDate() {
    try (Connection c = connect(); PreparedStatement s = prepare(c, "SELECT min(logical_date) FROM geolake_runs"); ResultSet r = s.executeQuery()) {
      return r.next() && r.getString(1) != null ? Optional.of(LocalDate.parse(r.getString(1))) : Optional.empty();
    } catch (SQLException e) {
      throw failure("read runs", e);
    }
  }

  /** The newest date whose latest run succeeded (a date run again and failing, or reverted, does not count). */
  public Optional<LocalDate> newestSucceededDate() {
    String sql = "SELECT max(r.logical_date) FROM geolake_runs r WHERE r.state = ? AND NOT EXISTS (SELECT 1 FROM geolake_runs n"
        + " WHERE n.logical_date = r.logical_date AND (n.started_at > r.started_at OR (n.started_at = r.started_at AND n.run_id > r.run_id)))";
    try (Connection c = connect(); PreparedStatement s = prepare(c, sql, RunState.SUCCEEDED.name()); ResultSet r = s.executeQuery()) {
      return r.next() && r.getString(1) != null ? Optional.of(LocalDate.parse(r.getString(1))) : Optional.empty();
    } catch (SQLException e) {
      throw failure("read runs", e);
    }
  }

  /** Runs, newest first, of one date or (date null) of all dates. */
  public List<RunRecord> runs(LocalDate date, int limit) {
    String sql = "SELECT * FROM geolake_runs" + (date == null ? "" : " WHERE logical_date = ?") + " ORDER BY started_at DESC, run_id DESC";
    List<RunRecord> runs = date == null ? query(sql) : query(sql, date.toString());
    return runs.subList(0, Math.min(limit, runs.size()));
  }

  /** Starts run {@code <date>-<n>} with every step of {@code steps} pending. */
  public RunRecord start(LocalDate date, String holder, List<String> steps) {
    RunRecord run = start(date, holder);
    for (String step : steps) {
      update("INSERT INTO geolake_steps (run_id, step, state, attempts) VALUES (?, ?, ?, 0)", run.runId(), step, StepState.PENDING.name());
    }
    return run;
  }

  public RunRecord start(LocalDate date, String holder) {
    int number = query("SELECT * FROM geolake_runs WHERE logical_date = ?", date.toString()).size() + 1;
    String runId = date + "-" + number;
    String branch = "geolake_run_" + date.toString().replace("-", "") + "_" + number;
    RunRecord run = new RunRecord(runId, date, 1, RunState.RUNNING, branch, holder, Instant.now(), null, null);
    update(
        "INSERT INTO geolake_runs (run_id, logical_date, attempt, state, branch, holder, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        run.runId(), date.toString(), 1, RunState.RUNNING.name(), branch, holder, run.startedAt().toEpochMilli());
    return run;
  }

  /** Marks an unfinished run as running again, one attempt more, under a new holder. */
  public RunRecord resume(RunRecord run, String holder) {
    update("UPDATE geolake_runs SET attempt = attempt + 1, state = ?, holder = ?, finished_at = NULL, error = NULL WHERE run_id = ?",
        RunState.RUNNING.name(), holder, run.runId());
    return query("SELECT * FROM geolake_runs WHERE run_id = ?", run.runId()).get(0);
  }

  public void finish(RunRecord run, RunState state, String error) {
    update("UPDATE geolake_runs SET state = ?, finished_at = ?, error = ? WHERE run_id = ?",
        state.name(), Instant.now().toEpochMilli(), error, run.runId());
  }

  public List<StepRecord> steps(String runId) {
    List<StepRecord> steps = new ArrayList<>();
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement("SELECT * FROM geolake_steps WHERE run_id = ?")) {
      s.setString(1, runId);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          steps.add(
              new StepRecord(
                  r.getString("run_id"), r.getString("step"), StepState.valueOf(r.getString("state")), r.getInt("attempts"),
                  instant(r, "started_at"), instant(r, "finished_at"), longOrNull(r, "rows_in"), longOrNull(r, "rows_out"),
                  r.getString("snapshots"), r.getString("result"), r.getString("error")));
        }
      }
    } catch (SQLException e) {
      throw failure("read the steps of run " + runId, e);
    }
    // In the order of the daily run (its branch record first); steps it does not know by start time.
    steps.sort(java.util.Comparator.comparingInt((StepRecord st) -> position(st.step()))
        .thenComparing(StepRecord::startedAt, java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())));
    return steps;
  }

  private static int position(String step) {
    if (step.equals(DailyRun.BRANCH_MADE)) {
      return -1;
    }
    int i = DailyRun.STEPS.indexOf(step);
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  public void stepStarted(String runId, String step) {
    long now = Instant.now().toEpochMilli();
    int changed =
        update("UPDATE geolake_steps SET state = ?, attempts = attempts + 1, started_at = ?, finished_at = NULL, error = NULL"
            + " WHERE run_id = ? AND step = ?", StepState.RUNNING.name(), now, runId, step);
    if (changed == 0) {
      update("INSERT INTO geolake_steps (run_id, step, state, attempts, started_at) VALUES (?, ?, ?, 1, ?)",
          runId, step, StepState.RUNNING.name(), now);
    }
  }

  public void stepSucceeded(String runId, String step, Long rowsIn, Long rowsOut, Map<String, Long> snapshots, Object result) {
    update("UPDATE geolake_steps SET state = ?, finished_at = ?, rows_in = ?, rows_out = ?, snapshots = ?, result = ? WHERE run_id = ? AND step = ?",
        StepState.SUCCEEDED.name(), Instant.now().toEpochMilli(), rowsIn, rowsOut, json(snapshots), json(result), runId, step);
  }

  /** The step will not run in this run; {@code reason} says why (kept in the error column). */
  public void stepSkipped(String runId, String step, String reason) {
    update("UPDATE geolake_steps SET state = ?, finished_at = ?, error = ? WHERE run_id = ? AND step = ? AND state = ?",
        StepState.SKIPPED.name(), Instant.now().toEpochMilli(), reason, runId, step, StepState.PENDING.name());
  }

  public void stepFailed(String runId, String step, String error) {
    update("UPDATE geolake_steps SET state = ?, finished_at = ?, error = ? WHERE run_id = ? AND step = ?",
        StepState.FAILED.name(), Instant.now().toEpochMilli(), error, runId, step);
  }

  /**
   * Takes the named lease for holder if it is free or its heartbeat is older than timeout. Taking
   * over compares the heartbeat read with the one in the row, so of two takers one wins.
   */
  public Lease tryLease(String name, String holder, java.time.Duration timeout) {
    for (int attempt = 0; attempt < 3; attempt++) {
      long now = Instant.now().toEpochMilli();
      Optional<Lease> current = leaseRow(name);
      if (current.isEmpty()) {
        try {
          insertLease(name, holder, now);
          return new Lease(true, holder, Instant.ofEpochMilli(now));
        } catch (SQLException raced) {
          continue; // another process inserted it first: read it again
        }
      }
      long heartbeat = current.get().heartbeatAt().toEpochMilli();
      if (now - heartbeat <= timeout.toMillis()) {
        return current.get();
      }
      int taken =
          update("UPDATE geolake_locks SET holder = ?, acquired_at = ?, heartbeat_at = ? WHERE name = ? AND heartbeat_at = ?",
              holder, now, now, name, heartbeat);
      if (taken == 1) {
        return new Lease(true, holder, Instant.ofEpochMilli(now));
      }
    }
    return leaseRow(name).orElseGet(() -> new Lease(false, "unknown (the lock changed hands three times while asking)", Instant.now()));
  }

  /** Renews the holder's lease; false if it is no longer the holder's (taken over as stale). */
  public boolean renewLease(String name, String holder) {
    return update("UPDATE geolake_locks SET heartbeat_at = ? WHERE name = ? AND holder = ?", Instant.now().toEpochMilli(), name, holder) == 1;
  }

  public void releaseLease(String name, String holder) {
    update("DELETE FROM geolake_locks WHERE name = ? AND holder = ?", name, holder);
  }

  public Optional<String> leaseHolder(String name) {
    return leaseRow(name).map(Lease::holder);
  }

  /** The lease row as a refusal: who holds it and their last heartbeat. */
  private Optional<Lease> leaseRow(String name) {
    try (Connection c = connect(); PreparedStatement s = prepare(c, "SELECT holder, heartbeat_at FROM geolake_locks WHERE name = ?", name);
        ResultSet r = s.executeQuery()) {
      return r.next() ? Optional.of(new Lease(false, r.getString(1), Instant.ofEpochMilli(r.getLong(2)))) : Optional.empty();
    } catch (SQLException e) {
      throw failure("read the lock " + name, e);
    }
  }

  private void insertLease(String name, String holder, long now) throws SQLException {
    try (Connection c = connect();
        PreparedStatement s = prepare(c, "INSERT INTO geolake_locks (name, holder, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?)", name, holder, now, now)) {
      s.executeUpdate();
    }
  }

  static String json(Object value) {
    try {
      return value == null ? null : JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialize " + value.getClass().getSimpleName(), e);
    }
  }

  private List<RunRecord> query(String sql, Object... args) {
    List<RunRecord> runs = new ArrayList<>();
    try (Connection c = connect(); PreparedStatement s = prepare(c, sql, args); ResultSet r = s.executeQuery()) {
      while (r.next()) {
        runs.add(
            new RunRecord(
                r.getString("run_id"), LocalDate.parse(r.getString("logical_date")), r.getInt("attempt"),
                RunState.valueOf(r.getString("state")), r.getString("branch"), r.getString("holder"),
                instant(r, "started_at"), instant(r, "finished_at"), r.getString("error")));
      }
    } catch (SQLException e) {
      throw failure("read runs", e);
    }
    return runs;
  }

  private int update(String sql, Object... args) {
    try (Connection c = connect(); PreparedStatement s = prepare(c, sql, args)) {
      return s.executeUpdate();
    } catch (SQLException e) {
      throw failure("record a run", e);
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      s.setObject(i + 1, args[i]);
    }
    return s;
  }

  /**
   * Runs one INSERT, UPDATE or DELETE of an operational record kept beside the runs (incidents,
   * the query audit); {@code what} names it in the error, e.g. "record an incident".
   */
  public int execute(String what, String sql, Object... args) {
    try (Connection c = connect(); PreparedStatement s = prepare(c, sql, args)) {
      return s.executeUpdate();
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  /** A connection to the run store's database, for operational records kept beside the runs (incidents). */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(uri, properties);
  }

  /** The store's JDBC URI with any password masked, for messages. */
  public String describe() {
    return uri.replaceAll("password=[^&;]*", "password=****");
  }

  private static Instant instant(ResultSet r, String column) throws SQLException {
    long millis = r.getLong(column);
    return r.wasNull() ? null : Instant.ofEpochMilli(millis);
  }

  private static Long longOrNull(ResultSet r, String column) throws SQLException {
    long value = r.getLong(column);
    return r.wasNull() ? null : value;
  }

  private IllegalStateException failure(String what, SQLException e) {
    return new IllegalStateException("Cannot " + what + " in the run store " + describe() + ": " + e.getMessage(), e);
  }
}
