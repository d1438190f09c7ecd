package io.geolake.ops.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geolake.core.access.ApiTokens;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.generator.GeneratorSettings;
import io.geolake.generator.SyntheticDeliveries;
import io.geolake.pipeline.model.ModelRegistry;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.RunListener;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.geolake.pipeline.testing.RegisteredVersions;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve's HTTP API and console: tokens name users, SQL runs in their role, runs can be read and queued. */
class TestHttpApi extends BaseSparkTest {
  private static final LocalDate DATE = LocalDate.of(2024, 5, 6);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;
  private IdentityProvider provider;

  @org.junit.jupiter.api.BeforeEach
  void identityProvider() throws Exception {
    provider = new IdentityProvider();
  }

  @org.junit.jupiter.api.AfterEach
  void closeIdentityProvider() {
    provider.close();
  }

  private final HttpClient http = HttpClient.newHttpClient();
  private int port;

  private record Answer(int status, JsonNode body, HttpResponse<String> response) {}

  @Test
  void usersQueryInTheirRoleReadRunsAndAdminsQueueThem() throws Exception {
    new SyntheticDeliveries(GeneratorSettings.defaults(3, 1, DATE, 11)).writeTo(data.resolve("landing"), s -> {});
    String ana = ApiTokens.newToken();
    String root = ApiTokens.newToken();
    String dawn = ApiTokens.newToken();
    port = freePort();
    GeolakeConfig config = config(data, "serve.schedule=", "serve.watch=false", "serve.catch-up-days=0", "serve.port=" + port,
        "access.users=[{name: ana, role: analyst, token-sha256: " + ApiTokens.sha256(ana) + "},"
            + " {name: root, role: admin, token-sha256: " + ApiTokens.sha256(root) + "},"
            + " {name: dawn, role: mornings, token-sha256: " + ApiTokens.sha256(dawn) + "}]",
        "access.roles=[{name: admin, tables: ['*'], personal-data: true, any-statement: true}, {name: analyst, tables: [consumption.*, ops.*]},"
            + " {name: mornings, tables: [consumption.*, staging.pings], pseudonymized: true, row-filters: {consumption.stay_points: 'hour(started_at) < 12'},"
            + " columns: {staging.pings: [device_id, event_ts, latitude, longitude]}}]",
        "access.oidc.issuer=" + provider.issuer(), "access.oidc.audience=" + IdentityProvider.CLIENT_ID,
        "access.oidc.groups-claim=cognito:groups", "access.oidc.roles={data-analysts: analyst}");
    LakehouseCatalog catalog = catalog(config);
    new DailyRun(catalog, config, RunListener.NONE).run(DATE);
    long stays = count("SELECT count(*) FROM consumption.stay_points");
    long pings = count("SELECT count(*) FROM staging.pings");
    assertThat(stays).isPositive();

    Server server = ServedLake.server(spark, config, catalog);
    try (Server started = server.start()) {
      HttpResponse<String> console = http.send(HttpRequest.newBuilder(uri("/")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(console.statusCode()).isEqualTo(200);
      assertThat(console.body()).contains("<title>geolake console</title>", "/api/sql");

      Answer anonymous = call("GET", "/api/me", null, null);
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(anonymous.response().headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"geolake\"");
      assertThat(call("GET", "/api/me", "glk_guessed", null).body().get("error").asText()).startsWith("Unknown token");
      assertThat(call("GET", "/api/me", ana, null).body().get("role").asText()).isEqualTo("analyst");

      // Signed in with the identity provider instead: its token, the role of the user's group.
      String maria = provider.sign(provider.idToken("maria@example.com", List.of("data-analysts")).build());
      JsonNode me = call("GET", "/api/me", maria, null).body();
      assertThat(me.get("user").asText()).isEqualTo("maria@example.com");
      assertThat(me.get("role").asText()).isEqualTo("analyst");
      assertThat(call("POST", "/api/sql", maria, "SELECT count(*) AS n FROM consumption.stay_points").body().get("rows").get(0).get(0).asLong())
          .isEqualTo(stays);
      // Arrays and structs as Spark writes them, as the CLI prints them.
      JsonNode complex = call("POST", "/api/sql", maria, "SELECT array(1, 2) AS a, named_struct('n', count(*)) AS s FROM consumption.stay_points")
          .body().get("rows").get(0);
      assertThat(complex.get(0).asText()).isEqualTo("[1, 2]");
      assertThat(complex.get(1).asText()).isEqualTo("{" + stays + "}");
      assertThat(call("GET", "/api/me", provider.sign(provider.idToken("zoe@example.com", List.of("sales")).build()), null).status()).isEqualTo(403);

      List<String> anasTables = new ArrayList<>();
      call("GET", "/api/tables", ana, null).body().forEach(t -> anasTables.add(t.get("table").asText()));
      assertThat(anasTables).contains("consumption.stay_points", "ops.quality_results").noneMatch(t -> t.startsWith("staging.") || t.startsWith("raw."));

      Answer count = call("POST", "/api/sql", ana, "SELECT count(*) AS n FROM consumption.stay_points");
      assertThat(count.status()).isEqualTo(200);
      assertThat(count.body().get("columns").get(0).asText()).isEqualTo("n");
      assertThat(count.body().get("rows").get(0).get(0).asLong()).isEqualTo(stays);
      assertThat(count.body().get("rowFilters").isEmpty()).isTrue();
      // A role with a row filter sees that table's matching rows only, and is told so.
      long morningStays = count("SELECT count(*) FROM consumption.stay_points WHERE hour(started_at) < 12");
      assertThat(morningStays).isPositive().isLessThan(stays);
      Answer mornings = call("POST", "/api/sql", dawn, "SELECT count(*) AS n FROM consumption.stay_points");
      assertThat(mornings.body().get("rows").get(0).get(0).asLong()).isEqualTo(morningStays);
      assertThat(mornings.body().get("rowFilters").get("consumption.stay_points").asText()).isEqualTo("hour(started_at) < 12");
      assertThat(call("GET", "/api/me", dawn, null).body().get("rowFilters").get("consumption.stay_points").asText()).isEqualTo("hour(started_at) < 12");
      JsonNode dawnsTables = call("GET", "/api/tables", dawn, null).body();
      assertThat(dawnsTables.findValuesAsText("table")).contains("consumption.stay_points", "consumption.trips");
      dawnsTables.forEach(t -> assertThat(t.get("rowFilter").isNull()).as(t.get("table").asText()).isEqualTo(!t.get("table").asText().equals("consumption.stay_points")));
      // ... and reads device ids in staging as the consumption layer's pseudonyms.
      JsonNode stagingColumns = java.util.stream.StreamSupport.stream(dawnsTables.spliterator(), false)
          .filter(t -> t.get("table").asText().equals("staging.pings")).findFirst().orElseThrow().get("columns");
      assertThat(stagingColumns.get(0).get("name").asText()).isEqualTo("device_id");
      assertThat(stagingColumns.get(0).get("pseudonymized").asBoolean()).isTrue();
      assertThat(stagingColumns.get(0).get("readable").asBoolean()).isTrue();
      // ... and only the staging columns the role is granted.
      JsonNode ipAddress = java.util.stream.StreamSupport.stream(stagingColumns.spliterator(), false)
          .filter(c -> c.get("name").asText().equals("ip_address")).findFirst().orElseThrow();
      assertThat(ipAddress.get("granted").asBoolean()).isFalse();
      assertThat(ipAddress.get("readable").asBoolean()).isFalse();
      Answer notGranted = call("POST", "/api/sql", dawn, "SELECT latitude FROM staging.pings WHERE ip_address IS NOT NULL");
      assertThat(notGranted.status()).isEqualTo(403);
      assertThat(notGranted.body().get("error").asText()).contains("it reads staging.pings.ip_address, which the role is not granted",
          "its columns: staging.pings [device_id, event_ts, latitude, longitude]");
      String device = call("POST", "/api/sql", dawn, "SELECT device_id FROM staging.pings ORDER BY event_ts LIMIT 1").body().get("rows").get(0).get(0).asText();
      assertThat(device).matches("[0-9a-f]{64}");
      assertThat(count("SELECT count(*) FROM consumption.device_daily_features WHERE device = '" + device + "'")).isPositive();
      Answer denied = call("POST", "/api/sql", ana, "SELECT count(*) FROM staging.pings");
      assertThat(denied.status()).isEqualTo(403);
      assertThat(denied.body().get("error").asText()).contains("not among the role's tables");
      assertThat(call("POST", "/api/sql", ana, "SELEC 1").status()).isEqualTo(400);
      Answer limited = call("POST", "/api/sql?limit=2", root, "SELECT device_id FROM staging.pings");
      assertThat(limited.body().get("rows")).hasSize(2);
      assertThat(limited.body().get("truncated").asBoolean()).isTrue();

      // A run writes to its own branch through its session's spark.wap.branch: users never see it.
      spark.sql("ALTER TABLE staging.pings CREATE BRANCH unpublished");
      spark.conf().set("spark.wap.branch", "unpublished");
      try {
        spark.sql("DELETE FROM staging.pings");
        assertThat(count("SELECT count(*) FROM staging.pings")).isZero();
        assertThat(call("POST", "/api/sql", root, "SELECT count(*) FROM staging.pings").body().get("rows").get(0).get(0).asLong()).isEqualTo(pings);
      } finally {
        spark.conf().unset("spark.wap.branch");
      }

      assertThat(call("GET", "/api/runs", ana, null).body().get(0).get("date").asText()).isEqualTo(DATE.toString());
      JsonNode steps = call("GET", "/api/runs/" + DATE, ana, null).body().get(0).get("steps");
      assertThat(steps.findValuesAsText("step")).contains("ingest", "stage", "features", "publish");
      LocalDate undelivered = DATE.plusDays(1);
      assertThat(call("POST", "/api/runs/" + undelivered, ana, null).status()).isEqualTo(403);
      assertThat(call("POST", "/api/runs/" + undelivered, root, null).body().get("queued").asText()).isEqualTo(undelivered.toString());
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (started.finishedRuns().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(started.finishedRuns()).singleElement().satisfies(r -> {
        assertThat(r.date()).isEqualTo(undelivered);
        assertThat(r.reason()).isEqualTo("api: root");
        assertThat(r.error()).contains("no delivery folder exists");
      });
      // The failure is an open incident, as geolake incidents lists it.
      JsonNode incidents = call("GET", "/api/incidents", ana, null).body();
      assertThat(incidents.findValuesAsText("key")).containsExactly("run:" + undelivered);
      assertThat(incidents.get(0).get("title").asText()).isEqualTo("geolake run of " + undelivered + " failed in step ingest");
      assertThat(incidents.get(0).get("closedAt").isNull()).isTrue();

      JsonNode anasAudit = call("GET", "/api/audit", ana, null).body();
      assertThat(anasAudit.findValuesAsText("user")).containsOnly("ana").hasSize(3);
      assertThat(anasAudit.findValuesAsText("outcome")).containsExactly("FAILED", "DENIED", "OK");
      assertThat(call("GET", "/api/audit", root, null).body().findValuesAsText("user")).contains("ana", "root", "maria@example.com");

      // Taking back the date's run, as geolake revert does: any-statement roles only, a dry run first.
      assertThat(call("POST", "/api/runs/" + DATE + "/revert", ana, null).status()).isEqualTo(403);
      Answer plan = call("POST", "/api/runs/" + DATE + "/revert?dry-run=true", root, null);
      assertThat(plan.status()).isEqualTo(200);
      assertThat(plan.body().get("runId").asText()).isEqualTo(DATE + "-1");
      JsonNode staging = java.util.stream.StreamSupport.stream(plan.body().get("tables").spliterator(), false)
          .filter(t -> t.get("table").asText().equals("staging.pings")).findFirst().orElseThrow();
      assertThat(staging.get("rowsPublished").asLong()).isEqualTo(pings);
      assertThat(staging.get("changes").asBoolean()).isTrue();
      assertThat(call("POST", "/api/sql", root, "SELECT count(*) FROM staging.pings").body().get("rows").get(0).get(0).asLong()).isEqualTo(pings);
      assertThat(call("POST", "/api/runs/" + DATE + "/revert", root, null).status()).isEqualTo(200);
      assertThat(call("POST", "/api/sql", root, "SELECT count(*) FROM staging.pings").body().get("rows").get(0).get(0).asLong()).isZero();
      JsonNode reverted = call("GET", "/api/runs/" + DATE, ana, null).body().get(0);
      assertThat(reverted.get("state").asText()).isEqualTo("REVERTED");
      assertThat(reverted.get("error").asText()).contains("reverted by api: root");
      Answer again = call("POST", "/api/runs/" + DATE + "/revert", root, null);
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.body().get("error").asText()).contains("reverted already");

      // Model X: anyone sees the versions; any-statement roles make one live, with a reason, and the registry keeps who and why.
      assertThat(call("GET", "/api/models", ana, null).body().get("versions")).isEmpty();
      ModelRegistry models = new ModelRegistry(spark, config);
      RegisteredVersions.register(spark, config, config.model().horizonDays(), 0.81);
      models.makeLive("v0001", "geolake train --as-of 2024-05-12", "live: no version was live");
      RegisteredVersions.register(spark, config, config.model().horizonDays(), 0.74);
      JsonNode listed = call("GET", "/api/models", ana, null).body();
      assertThat(listed.get("live").asText()).isEqualTo("v0001");
      assertThat(listed.get("versions").findValuesAsText("version")).containsExactly("v0001", "v0002");
      assertThat(listed.get("versions").get(1).get("metrics").get("auc_roc").asDouble()).isEqualTo(0.74);
      assertThat(listed.get("history").findValuesAsText("by")).containsExactly("geolake train --as-of 2024-05-12");
      assertThat(call("POST", "/api/models/v0002/live", ana, "try it").status()).isEqualTo(403);
      assertThat(call("POST", "/api/models/v0009/live", root, "try it").status()).isEqualTo(404);
      assertThat(call("POST", "/api/models/v0002/live", root, " ").status()).isEqualTo(400);
      Answer promoted = call("POST", "/api/models/v0002/live", root, "v0001 drifted");
      assertThat(promoted.status()).isEqualTo(200);
      assertThat(promoted.body().get("change").get("previous").asText()).isEqualTo("v0001");
      assertThat(models.live()).hasValueSatisfying(v -> assertThat(v.version()).isEqualTo("v0002"));
      JsonNode history = call("GET", "/api/models", ana, null).body().get("history");
      assertThat(history.get(1).get("by").asText()).isEqualTo("api: root");
      assertThat(history.get(1).get("reason").asText()).isEqualTo("v0001 drifted");
      // Back to v0001, which learned from a run since reverted: refused, then forced.
      models.learnedFromReverted("v0001", DATE + "-1");
      Answer refused = call("POST", "/api/models/v0001/live", root, "roll back");
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.body().get("error").asText()).contains(DATE + "-1", "--force");
      assertThat(call("GET", "/api/models", ana, null).body().get("versions").get(0).get("learnedFromRevertedRuns").get(0).asText())
          .isEqualTo(DATE + "-1");
      assertThat(call("POST", "/api/models/v0001/live?force=true", root, "roll back").body().get("changed").asBoolean()).isTrue();
      assertThat(call("POST", "/api/models/v0001/live", root, "again").body().get("changed").asBoolean()).isFalse();
      assertThat(models.live()).hasValueSatisfying(v -> assertThat(v.version()).isEqualTo("v0001"));
    }
  }

  private Answer call(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), JSON.readTree(response.body()), response);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
