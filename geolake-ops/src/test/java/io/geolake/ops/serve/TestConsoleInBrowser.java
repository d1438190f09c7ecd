package io.geolake.ops.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.access.ApiTokens;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.generator.GeneratorSettings;
import io.geolake.generator.SyntheticDeliveries;
import io.geolake.pipeline.run.DailyRun;
import io.geolake.pipeline.run.RunListener;
import io.geolake.pipeline.spark.LakehouseCatalog;
import io.geolake.pipeline.testing.BaseSparkTest;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console of geolake serve as a user sees it, in a real headless Chromium: sign in with a
 * token, the runs and a run's steps, the tables of the role, a query and its result, a refused
 * query's reason, and the audit of both; signing out, and in and out through the identity provider,
 * signing in again by itself when the provider's token expires. Needs Debian's Chromium and its ChromeDriver
 * ({@code apt-get install -y chromium chromium-driver}; {@code .ci/run} installs them).
 */
class TestConsoleInBrowser extends BaseSparkTest {
  private static final LocalDate DATE = LocalDate.of(2024, 5, 6);
  private static final Path CHROMIUM = Path.of(System.getProperty("geolake.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER = Path.of(System.getProperty("geolake.chromedriver", "/usr/bin/chromedriver"));

  @TempDir Path data;
  @TempDir Path profile;

  @Test
  void anAnalystSignsInReadsRunsAndTablesQueriesAndSeesTheRefusalAndTheAuditThenSignsInThroughTheIdentityProvider() throws Exception {
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .as("This test drives Chromium: install it with apt-get install -y chromium chromium-driver (or set -Dgeolake.chromium and -Dgeolake.chromedriver)")
        .isTrue();
    new SyntheticDeliveries(GeneratorSettings.defaults(3, 1, DATE, 11)).writeTo(data.resolve("landing"), s -> {});
    String token = ApiTokens.newToken();
    String adminToken = ApiTokens.newToken();
    IdentityProvider provider = new IdentityProvider();
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    GeolakeConfig config = config(data, "serve.schedule=", "serve.watch=false", "serve.catch-up-days=0", "serve.port=" + port,
        "access.users=[{name: ana, role: analyst, token-sha256: " + ApiTokens.sha256(token) + "},"
            + " {name: root, role: admin, token-sha256: " + ApiTokens.sha256(adminToken) + "}]",
        // This console's analysts see the morning stays only.
        "access.roles=[{name: admin, tables: ['*'], personal-data: true, any-statement: true},"
            + " {name: analyst, tables: [consumption.*, ops.*], row-filters: {consumption.stay_points: 'hour(started_at) < 12'}}]",
        "access.oidc.issuer=" + provider.issuer(), "access.oidc.audience=" + IdentityProvider.CLIENT_ID,
        "access.oidc.groups-claim=cognito:groups", "access.oidc.roles={data-analysts: analyst}");
    LakehouseCatalog catalog = catalog(config);
    new DailyRun(catalog, config, RunListener.NONE).run(DATE);
    long stays = count("SELECT count(*) FROM consumption.stay_points");
    long morningStays = count("SELECT count(*) FROM consumption.stay_points WHERE hour(started_at) < 12");
    assertThat(morningStays).isPositive().isLessThan(stays);

    // An open incident, as a missed SLA leaves one: the runs tab lists it above the runs.
    new io.geolake.ops.alert.Alerter(config, new io.geolake.pipeline.run.RunStore(config), java.time.Clock.systemUTC())
        .raise(io.geolake.ops.alert.Alert.slaMissed(DATE.plusDays(1), java.time.Instant.parse("2024-05-08T07:00:00Z"), "no run of " + DATE.plusDays(1)));
    // Two versions of model X, the first live.
    io.geolake.pipeline.model.ModelRegistry models = new io.geolake.pipeline.model.ModelRegistry(spark, config);
    io.geolake.pipeline.testing.RegisteredVersions.register(spark, config, config.model().horizonDays(), 0.81);
    models.makeLive("v0001", "geolake train --as-of 2024-05-12", "live: no version was live");
    io.geolake.pipeline.testing.RegisteredVersions.register(spark, config, config.model().horizonDays(), 0.79);
    Server server = ServedLake.server(spark, config, catalog).start();
    WebDriver browser = chromium();
    try {
      browser.get("http://127.0.0.1:" + port + "/");
      assertThat(browser.getTitle()).isEqualTo("geolake console");
      browser.findElement(By.id("token")).sendKeys(token, Keys.TAB);
      await(browser, "the signed-in user", d -> text(d, "me").equals("ana (analyst)"));

      // Runs: open incidents first, the day's run, then its steps when the date is clicked.
      await(browser, "the run list", d -> text(d, "runList").contains(DATE.toString()));
      assertThat(text(browser, "incidentList")).startsWith("Open incidents")
          .contains("Scores for " + DATE.plusDays(1) + " were not published by 2024-05-08T07:00:00Z");
      assertThat(text(browser, "runList")).contains(DATE + "-1", "succeeded");
      browser.findElement(By.xpath("//div[@id='runList']//td[text()='" + DATE + "']")).click();
      await(browser, "the run's steps", d -> text(d, "runSteps").contains("publish"));
      assertThat(text(browser, "runSteps")).contains("ingest", "stage", "features");
      browser.findElement(By.id("revert")).click(); // an analyst may look, not take a run back
      await(browser, "the refusal to revert", d -> text(d, "error").contains("Role analyst may not revert runs"));

      // Tables: only what the analyst role may read.
      tab(browser, "tables");
      await(browser, "the table list", d -> !d.findElements(By.cssSelector("#tableList h3")).isEmpty());
      List<String> tables = browser.findElements(By.cssSelector("#tableList h3")).stream().map(WebElement::getText).toList();
      assertThat(tables).contains("consumption.stay_points", "consumption.visits").noneMatch(t -> t.startsWith("staging.") || t.startsWith("raw."));
      assertThat(text(browser, "tableList")).containsOnlyOnce("Your role sees only the rows where hour(started_at) < 12.");

      // SQL: a result, then a refusal with its reason, shown where the user looks.
      tab(browser, "sql");
      query(browser, "SELECT count(*) AS n FROM consumption.stay_points");
      await(browser, "the query's result", d -> text(d, "sqlInfo").startsWith("1 rows"));
      assertThat(browser.findElement(By.cssSelector("#result td")).getText()).isEqualTo(Long.toString(morningStays));
      assertThat(text(browser, "sqlInfo")).endsWith("; consumption.stay_points: only rows where hour(started_at) < 12");
      query(browser, "SELECT device_id FROM staging.pings");
      await(browser, "the refusal shown", d -> !text(d, "error").isEmpty());
      assertThat(text(browser, "error")).contains("staging.pings").contains("not among the role's tables");
      assertThat(browser.findElements(By.cssSelector("#result table"))).isEmpty();

      // Audit: both statements, newest first, with their outcomes.
      tab(browser, "audit");
      await(browser, "two audit entries", d -> d.findElements(By.cssSelector("#auditList tbody tr")).size() == 2);
      List<String> rows = browser.findElements(By.cssSelector("#auditList tbody tr")).stream().map(WebElement::getText).toList();
      assertThat(rows.get(0)).contains("ana", "denied", "staging.pings");
      assertThat(rows.get(1)).contains("ana", "ok", "consumption.stay_points");

      // Signed out: the token forgotten, nothing of the analyst's left on the page, and still
      // signed out after a reload.
      signOut(browser);
      tab(browser, "runs");
      assertThat(text(browser, "runList")).isEmpty();
      assertThat(text(browser, "incidentList")).isEmpty();
      browser.get("http://127.0.0.1:" + port + "/");
      assertThat(text(browser, "me")).isEmpty();
      assertThat(browser.findElement(By.id("signOut")).isDisplayed()).isFalse();

      // Then in through the identity provider: the console's link, the provider's sign-in page,
      // and back to the console as the user it signed in, with an ID token that lasts 12 seconds.
      provider.signsIn("maria@example.com", List.of("data-analysts"), Duration.ofSeconds(12));
      browser.findElement(By.id("oidcSignIn")).click();
      await(browser, "the user the provider signed in", d -> text(d, "me").equals("maria@example.com (analyst)"));
      String console = "http://127.0.0.1:" + port + "/";
      assertThat(browser.getCurrentUrl()).isEqualTo(console);

      // Her query after the token expired: the console signs in again through the provider (whose
      // session goes on), comes back to the SQL tab and runs the statement, not a 401.
      String expiring = sessionToken(browser);
      java.time.Instant expires = com.nimbusds.jwt.SignedJWT.parse(expiring).getJWTClaimsSet().getExpirationTime().toInstant();
      provider.signsIn("maria@example.com", List.of("data-analysts")); // her next token lasts ten minutes
      int[] issued = {provider.tokenRequests.get()};
      tab(browser, "sql");
      Thread.sleep(Math.max(0, Duration.between(java.time.Instant.now(), expires).toMillis()));
      String statement = "SELECT count(*) AS n FROM consumption.stay_points";
      query(browser, statement);
      await(browser, "the query's result after signing in again", d -> text(d, "sqlInfo").startsWith("1 rows"));
      assertThat(text(browser, "notice")).isEqualTo("Your sign-in had expired; you were signed in again as maria@example.com.");
      assertThat(provider.tokenRequests.get()).isEqualTo(issued[0] + 1);
      assertThat(sessionToken(browser)).isNotEqualTo(expiring);
      assertThat(browser.findElement(By.id("sql")).isDisplayed()).isTrue();
      assertThat(browser.findElement(By.id("statement")).getDomProperty("value")).isEqualTo(statement);
      assertThat(browser.findElement(By.cssSelector("#result td")).getText()).isEqualTo(Long.toString(morningStays));
      assertThat(text(browser, "error")).isEmpty();
      tab(browser, "runs");

      // A token the server finds expired while this computer's clock says it is not (it runs
      // behind): refused with 401, and the console signs in again too.
      java.time.Instant now = java.time.Instant.now();
      String stale = provider.sign(provider.idToken("maria@example.com", List.of("data-analysts"))
          .issueTime(java.util.Date.from(now.minus(Duration.ofHours(1)))).expirationTime(java.util.Date.from(now.minus(Duration.ofMinutes(5)))).build());
      ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
          "sessionStorage.removeItem('geolake-renewed-at'); const behind = Date.now() - 3600000; Date.now = () => behind;");
      issued[0] = provider.tokenRequests.get();
      WebElement tokenBox = browser.findElement(By.id("token"));
      tokenBox.clear();
      tokenBox.sendKeys(stale, Keys.TAB);
      await(browser, "signed in again after the 401", d -> provider.tokenRequests.get() == issued[0] + 1 && text(d, "notice").startsWith("Your sign-in had expired"));
      assertThat(sessionToken(browser)).isNotEqualTo(stale);

      // Signing out ends the provider's session too (its end-session endpoint, and back to the
      // console): the next "Sign in" on this computer asks for a password instead of going through.
      await(browser, "maria's runs", d -> text(d, "runList").contains(DATE.toString()));
      browser.findElement(By.id("signOut")).click();
      await(browser, "the provider's session ended", d -> provider.endedSessions.contains("sub-maria@example.com"));
      await(browser, "back on the console, signed out", d -> d.getCurrentUrl().equals(console) && text(d, "me").isEmpty()
          && "complete".equals(((org.openqa.selenium.JavascriptExecutor) d).executeScript("return document.readyState")));
      assertThat(sessionToken(browser)).isNull();
      assertThat(content(browser, "runList")).isEmpty();
      browser.findElement(By.id("oidcSignIn")).click();
      await(browser, "the provider's password page", d -> d.getPageSource().contains("Your password, please."));
      browser.get(console);

      // An admin takes the date's run back from its steps: the dry run's tables, asked first.
      browser.findElement(By.id("token")).sendKeys(adminToken, Keys.TAB);
      await(browser, "the admin signed in", d -> text(d, "me").equals("root (admin)"));
      await(browser, "the run list", d -> text(d, "runList").contains(DATE.toString()));
      browser.findElement(By.xpath("//div[@id='runList']//td[text()='" + DATE + "']")).click();
      await(browser, "the Revert button", d -> !d.findElements(By.id("revert")).isEmpty());
      browser.findElement(By.id("revert")).click();
      org.openqa.selenium.Alert confirm =
          new WebDriverWait(browser, Duration.ofSeconds(30)).until(org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent());
      assertThat(confirm.getText()).contains("Take back run " + DATE + "-1", "consumption.stay_points: " + stays + " -> 0 rows");
      confirm.accept();
      await(browser, "the run reverted", d -> text(d, "runList").contains("reverted"));
      assertThat(count("SELECT count(*) FROM consumption.stay_points")).isZero();

      // ... and makes the second version of model X live, saying why.
      tab(browser, "models");
      await(browser, "the model versions", d -> text(d, "modelList").contains("v0002"));
      assertThat(browser.findElement(By.xpath("//div[@id='modelList']//tr[td[text()='v0001']]")).getText()).contains("live", "0.810");
      browser.findElement(By.xpath("//div[@id='modelList']//tr[td[text()='v0002']]/td[text()='Make live']")).click();
      org.openqa.selenium.Alert why =
          new WebDriverWait(browser, Duration.ofSeconds(30)).until(org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent());
      assertThat(why.getText()).contains("Make model X v0002 live");
      why.sendKeys("v0001 drifted");
      why.accept();
      await(browser, "the change in the history", d -> text(d, "liveHistory").contains("api: root"));
      assertThat(text(browser, "liveHistory")).contains("v0001 drifted");
      assertThat(models.live()).hasValueSatisfying(v -> assertThat(v.version()).isEqualTo("v0002"));
    } finally {
      browser.quit();
      server.close();
      provider.close();
    }
  }

  private WebDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // Root in CI needs no-sandbox; the rest keeps Chromium off the (closed) network at start.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
        .withLogFile(new File(profile.toFile(), "chromedriver.log")).build();
    return new ChromeDriver(service, options);
  }

  private static void tab(WebDriver browser, String name) {
    browser.findElement(By.cssSelector("#tabs button[data-tab='" + name + "']")).click();
  }

  private static void query(WebDriver browser, String sql) {
    WebElement statement = browser.findElement(By.id("statement"));
    statement.clear();
    statement.sendKeys(sql);
    browser.findElement(By.id("runSql")).click();
  }

  /** Signs out with the console's button: the token forgotten, every view emptied. */
  private static void signOut(WebDriver browser) {
    await(browser, "what the signed-in user sees", d -> !(content(d, "runList") + content(d, "tableList") + content(d, "auditList")).isEmpty());
    browser.findElement(By.id("signOut")).click();
    await(browser, "no one signed in", d -> text(d, "me").isEmpty());
    assertThat(((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('geolake-token')")).isNull();
    assertThat(browser.findElement(By.id("token")).getDomProperty("value")).isEmpty();
    for (String view : List.of("incidentList", "runList", "runSteps", "tableList", "result", "modelList", "liveHistory", "auditList")) {
      assertThat(content(browser, view)).as(view + " after signing out").isEmpty();
    }
    assertThat(browser.findElement(By.id("signOut")).isDisplayed()).isFalse();
  }

  private static String sessionToken(WebDriver browser) {
    return (String) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('geolake-token')");
  }

  /** An element's text whether or not its tab is showing. */
  private static String content(WebDriver browser, String id) {
    return browser.findElement(By.id(id)).getDomProperty("textContent");
  }

  private static String text(WebDriver browser, String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private static void await(WebDriver browser, String what, Function<WebDriver, Boolean> condition) {
    new WebDriverWait(browser, Duration.ofSeconds(30)).withMessage(what + " in the page").until(condition::apply);
  }
}
