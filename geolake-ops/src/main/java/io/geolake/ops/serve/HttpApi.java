package io.geolake.ops.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.geolake.core.access.ApiTokens;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.schema.Column;
import io.geolake.core.schema.TableDefinition;
import io.geolake.core.schema.Tables;
import io.geolake.ops.alert.Incidents;
import io.geolake.pipeline.access.AccessDeniedException;
import io.geolake.pipeline.access.CellText;
import io.geolake.pipeline.access.QueryAudit;
import io.geolake.pipeline.access.SqlGate;
import io.geolake.pipeline.model.ManualPromotion;
import io.geolake.pipeline.model.ModelRegistry;
import io.geolake.pipeline.model.ModelVersion;
import io.geolake.pipeline.model.PromotionRefusedException;
import io.geolake.pipeline.run.RevertRefusedException;
import io.geolake.pipeline.run.RunLockedException;
import io.geolake.pipeline.run.RunRecord;
import io.geolake.pipeline.run.RunRevert;
import io.geolake.pipeline.run.RunStore;
import io.geolake.pipeline.run.StepRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * serve's HTTP API and web console. Every /api call names its user with "Authorization: Bearer
 * token": a geolake token (access.users) or the identity provider's signed token (access.oidc); SQL runs through the {@link SqlGate} in the user's role; runs can be read
 * by every user and queued by roles with any-statement. The console at / is a static page that
 * calls these endpoints with the token its user pastes.
 *
 * <pre>
 * GET  /api/me              the caller: user, role, grants
 * GET  /api/tables          geolake's tables the caller's role may query, columns marked personal, the role's row filter
 * POST /api/sql?limit=N     body: one SQL statement; JSON columns and rows (at most N, default 1,000)
 * GET  /api/runs?limit=N    run history
 * GET  /api/runs/DATE       the runs of DATE with their steps
 * POST /api/runs/DATE       queue DATE's run (any-statement roles)
 * POST /api/runs/DATE/revert[?dry-run=true]  take back what DATE's last run published (any-statement roles)
 * GET  /api/incidents[?all=true&limit=N]  open incidents (closed ones too with all), newest first
 * GET  /api/models          model X: versions with metrics, the live one, how it came to be live
 * POST /api/models/VERSION/live[?force=true]  body: why; make VERSION live (any-statement roles)
 * GET  /api/audit?limit=N   audited statements: everyone's for any-statement roles, else the caller's
 * </pre>
 */
public final class HttpApi {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private static final int MAX_ROWS = 10_000;
  private static final ObjectMapper JSON =
      new ObjectMapper().registerModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final GeolakeConfig.Access access;
  /** Users signed in with the identity provider, or null when access.oidc is off. */
  private final OidcUsers oidcUsers;
  /** The console's sign-in with the identity provider, or null when access.oidc is off. */
  private final OidcLogin oidcLogin;
  private final SqlGate gate;
  private final RunStore store;
  private final QueryAudit audit;
  private final RunRevert revert;
  private final Incidents incidents;
  private final ModelRegistry models;
  private final GeolakeConfig.Model modelSettings;

  /**
   * @param gate over a SparkSession of its own ({@code spark.newSession()}), so that a run's
   *     write-audit-publish branch, set in the runs' session, never shows in users' queries
   */
  public HttpApi(GeolakeConfig config, SqlGate gate, RunStore store, QueryAudit audit, RunRevert revert, ModelRegistry models) {
    this.access = config.access();
    OidcProvider provider = access.oidc().enabled() ? new OidcProvider(access.oidc().issuer()) : null;
    this.oidcUsers = provider == null ? null : new OidcUsers(access, provider);
    this.oidcLogin = provider == null ? null : new OidcLogin(access.oidc(), provider, oidcUsers);
    this.gate = gate;
    this.store = store;
    this.audit = audit;
    this.revert = revert;
    this.incidents = new Incidents(store);
    this.models = models;
    this.modelSettings = config.model();
  }

  /** Serves the console at / and the API under /api/ on {@code http}; queued runs go to {@code submitRun}. */
  void mount(HttpServer http, BiConsumer<LocalDate, String> submitRun) {
    http.createContext("/", exchange -> {
      if (!exchange.getRequestURI().getPath().equals("/")) {
        send(exchange, 404, "text/plain; charset=utf-8", "Not found. The console is at /, the API under /api/.");
        return;
      }
      try (InputStream page = HttpApi.class.getResourceAsStream("console.html")) {
        String html = new String(page.readAllBytes(), StandardCharsets.UTF_8);
        if (oidcLogin != null) {
          html = html.replace("<a id=\"oidcSignIn\" href=\"/auth/login\" hidden>", "<a id=\"oidcSignIn\" href=\"/auth/login\">");
        }
        send(exchange, 200, "text/html; charset=utf-8", html);
      }
    });
    if (oidcLogin != null) {
      oidcLogin.mount(http);
    }
    http.createContext("/api/", exchange -> {
      try {
        GeolakeConfig.User user = authenticate(exchange);
        GeolakeConfig.Role role = access.role(user.role()).orElseThrow();
        sendJson(exchange, 200, route(exchange, user, role, submitRun));
      } catch (ApiError e) {
        if (e.status == 401) {
          exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"geolake\"");
        }
        sendJson(exchange, e.status, JSON.createObjectNode().put("error", e.getMessage()));
      } catch (RuntimeException e) {
        LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        sendJson(exchange, 500, JSON.createObjectNode().put("error", "failed: " + e.getMessage()));
      }
    });
  }

  private GeolakeConfig.User authenticate(HttpExchange exchange) {
    if (access.users().isEmpty() && oidcUsers == null) {
      throw new ApiError(401, "This server has no API users. Add one to access.users (geolake token --user NAME --role ROLE prints the entry)"
          + " or sign users in with your identity provider (access.oidc), and restart it.");
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      throw new ApiError(401, "Send your token as 'Authorization: Bearer <token>'.");
    }
    String token = header.substring("Bearer ".length()).trim();
    if (oidcUsers != null && OidcUsers.looksLikeJwt(token)) {
      return oidcUsers.userOf(token);
    }
    return ApiTokens.userOf(access, token)
        .orElseThrow(() -> new ApiError(401, "Unknown token. Ask an admin for one (geolake token)."));
  }

  private JsonNode route(HttpExchange exchange, GeolakeConfig.User user, GeolakeConfig.Role role, BiConsumer<LocalDate, String> submitRun)
      throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath().replaceAll("/+$", "");
    Map<String, String> query = query(exchange);
    if (method.equals("GET") && path.equals("/api/me")) {
      return JSON.createObjectNode().put("user", user.name()).put("role", role.name()).put("personalData", role.personalData()).put("pseudonymized", role.pseudonymized())
          .put("anyStatement", role.anyStatement()).<ObjectNode>set("tables", JSON.valueToTree(role.tables()))
          .<ObjectNode>set("rowFilters", JSON.valueToTree(role.rowFilters())).set("columns", JSON.valueToTree(role.columns()));
    }
    if (method.equals("GET") && path.equals("/api/tables")) {
      return tables(role);
    }
    if (method.equals("POST") && path.equals("/api/sql")) {
      String statement = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (statement.isEmpty()) {
        throw new ApiError(400, "Send one SQL statement as the request body.");
      }
      return sql(statement, user, role, limit(query, 1_000, MAX_ROWS));
    }
    if (method.equals("GET") && path.equals("/api/runs")) {
      return JSON.valueToTree(store.runs(null, limit(query, 30, 1_000)));
    }
    if (method.equals("POST") && path.matches("/api/runs/[^/]+/revert")) {
      return revert(date(path.split("/")[3]), "true".equals(query.get("dry-run")), user, role);
    }
    if (path.matches("/api/runs/[^/]+")) {
      LocalDate date = date(path.substring("/api/runs/".length()));
      if (method.equals("GET")) {
        ArrayNode runs = JSON.createArrayNode();
        for (RunRecord run : store.runs(date, 100)) {
          ObjectNode node = JSON.valueToTree(run);
          ArrayNode steps = node.putArray("steps");
          for (StepRecord step : store.steps(run.runId())) {
            steps.add(JSON.createObjectNode().put("step", step.step()).put("state", step.state().name()).put("attempts", step.attempts())
                .putPOJO("startedAt", step.startedAt()).putPOJO("finishedAt", step.finishedAt()).putPOJO("rowsIn", step.rowsIn())
                .putPOJO("rowsOut", step.rowsOut()).put("error", step.error()));
          }
          runs.add(node);
        }
        return runs;
      }
      if (method.equals("POST")) {
        if (!role.anyStatement()) {
          throw new ApiError(403, "Role " + role.name() + " may not start runs (any-statement: false).");
        }
        submitRun.accept(date, "api: " + user.name());
        exchange.getResponseHeaders().set("Location", "/api/runs/" + date);
        return JSON.createObjectNode().put("queued", date.toString());
      }
    }
    if (method.equals("GET") && path.equals("/api/incidents")) {
      return JSON.valueToTree(incidents.recent("true".equals(query.get("all")), limit(query, 100, 1_000)));
    }
    if (method.equals("GET") && path.equals("/api/models")) {
      return models();
    }
    if (method.equals("POST") && path.matches("/api/models/[^/]+/live")) {
      String reason = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      return makeLive(path.split("/")[3], reason, "true".equals(query.get("force")), user, role);
    }
    if (method.equals("GET") && path.equals("/api/audit")) {
      return JSON.valueToTree(audit.recent(role.anyStatement() ? null : user.name(), limit(query, 100, 1_000)));
    }
    throw new ApiError(404, "No " + method + " " + path + ". Endpoints: GET /api/me, GET /api/tables, POST /api/sql, GET /api/runs,"
        + " GET|POST /api/runs/YYYY-MM-DD, POST /api/runs/YYYY-MM-DD/revert, GET /api/incidents, GET /api/models, POST /api/models/VERSION/live,"
        + " GET /api/audit.");
  }

  /** Takes back a date's last run, as geolake revert does: 409 with the reason when the lake moved on or is busy. */
  private JsonNode revert(LocalDate date, boolean dryRun, GeolakeConfig.User user, GeolakeConfig.Role role) {
    if (!role.anyStatement()) {
      throw new ApiError(403, "Role " + role.name() + " may not revert runs (any-statement: false).");
    }
    RunRevert.Result result;
    try {
      result = revert.revert(date, dryRun, "api: " + user.name());
    } catch (RevertRefusedException | RunLockedException e) {
      throw new ApiError(409, e.getMessage());
    }
    ObjectNode answer = JSON.createObjectNode().put("runId", result.run().runId()).put("dryRun", dryRun);
    answer.set("modelVersionsTrainedSince", JSON.valueToTree(result.trainedSince()));
    ArrayNode tables = answer.putArray("tables");
    result.tables().forEach(t -> tables.add(((ObjectNode) JSON.valueToTree(t)).put("changes", t.changes())));
    return answer;
  }

  private JsonNode models() {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("live", models.live().map(ModelVersion::version).orElse(null));
    ArrayNode versions = answer.putArray("versions");
    for (ModelVersion version : models.versions()) {
      ObjectNode node = JSON.valueToTree(version);
      node.set("learnedFromRevertedRuns", JSON.valueToTree(models.revertedRunsLearnedFrom(version.version())));
      versions.add(node);
    }
    answer.set("history", JSON.valueToTree(models.liveHistory()));
    return answer;
  }

  /** Makes a version of model X live, as geolake models promote does: 409 with the reason when refused. */
  private JsonNode makeLive(String version, String reason, boolean force, GeolakeConfig.User user, GeolakeConfig.Role role) {
    if (!role.anyStatement()) {
      throw new ApiError(403, "Role " + role.name() + " may not change the live model (any-statement: false).");
    }
    ManualPromotion.Result result;
    try {
      result = new ManualPromotion(models, modelSettings).makeLive(version, "api: " + user.name(), reason, force);
    } catch (IllegalArgumentException e) {
      throw new ApiError(e.getMessage().startsWith("No version") ? 404 : 400, e.getMessage());
    } catch (PromotionRefusedException e) {
      throw new ApiError(409, e.getMessage());
    }
    return JSON.createObjectNode().put("live", result.version().version()).put("changed", result.change().isPresent())
        .set("change", JSON.valueToTree(result.change().orElse(null)));
  }

  private JsonNode sql(String statement, GeolakeConfig.User user, GeolakeConfig.Role role, int limit) {
    SqlGate.Query checked;
    try {
      checked = gate.open(statement, new SqlGate.Caller(user.name(), role.name(), "api"));
    } catch (AccessDeniedException e) {
      throw new ApiError(403, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ApiError(400, e.getMessage());
    }
    try {
      Dataset<Row> result = checked.rows();
      ObjectNode answer = JSON.createObjectNode();
      answer.set("columns", JSON.valueToTree(result.columns()));
      ArrayNode rows = answer.putArray("rows");
      Iterator<Row> it = result.toLocalIterator();
      while (it.hasNext() && rows.size() < limit) {
        Row row = it.next();
        ArrayNode values = rows.addArray();
        for (int i = 0; i < row.size(); i++) {
          values.add(value(row.get(i)));
        }
      }
      answer.put("truncated", it.hasNext());
      answer.set("changes", JSON.valueToTree(checked.changes())); // a command's new snapshots of geolake's tables
      // Which of the tables it read the role sees only some rows of, so nobody takes them for all.
      ObjectNode filters = answer.putObject("rowFilters");
      checked.tables().forEach(t -> role.rowFilter(t).ifPresent(condition -> filters.put(t, condition)));
      checked.finished(rows.size());
      return answer;
    } catch (RuntimeException e) {
      checked.failed(e);
      throw new ApiError(400, "The statement failed: " + e.getMessage());
    }
  }

  private static JsonNode value(Object v) {
    if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
      return JSON.valueToTree(v);
    }
    if (v instanceof java.sql.Timestamp t) {
      return JSON.valueToTree(t.toInstant().toString());
    }
    return JSON.valueToTree(CellText.of(v)); // arrays, maps and structs as Spark writes them
  }

  private static JsonNode tables(GeolakeConfig.Role role) {
    ArrayNode tables = JSON.createArrayNode();
    for (TableDefinition table : Tables.ALL) {
      if (!role.mayQuery(table.qualifiedName())) {
        continue;
      }
      ObjectNode node = tables.addObject().put("table", table.qualifiedName()).put("doc", table.doc())
          .put("rowFilter", role.rowFilter(table.qualifiedName()).orElse(null));
      ArrayNode columns = node.putArray("columns");
      for (Column c : table.columns()) {
        boolean pseudonymized = c.personal() && role.pseudonymized();
        boolean granted = role.mayRead(table.qualifiedName(), c.name());
        columns.addObject().put("name", c.name()).put("type", c.type().sql()).put("doc", c.doc()).put("personal", c.personal())
            .put("granted", granted).put("readable", granted && (!c.personal() || role.personalData() || pseudonymized))
            .put("pseudonymized", pseudonymized);
      }
    }
    return tables;
  }

  static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> params = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return params;
  }

  private static int limit(Map<String, String> query, int byDefault, int max) {
    String limit = query.get("limit");
    if (limit == null) {
      return byDefault;
    }
    try {
      int n = Integer.parseInt(limit);
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiError(400, "limit must be a whole number from 1 to " + max + " (got '" + limit + "').");
  }

  private static LocalDate date(String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new ApiError(400, "Expected a date YYYY-MM-DD, got '" + text + "'.");
    }
  }

  private static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
    send(exchange, status, "application/json", JSON.writeValueAsString(body));
  }

  /** Answers with a body of the given type; also serves Server's /metrics and /health. */
  static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
