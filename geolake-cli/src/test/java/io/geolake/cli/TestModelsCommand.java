package io.geolake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;
import io.geolake.pipeline.model.ModelRegistry;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.geolake.pipeline.testing.RegisteredVersions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** geolake models and geolake models promote, in-process on the test's Spark session. */
class TestModelsCommand extends BaseSparkTest {
  @TempDir Path data;

  private record Outcome(int code, String out, String err) {}

  @Test
  void anOperatorMakesAVersionLiveWithAReasonAndTheListSaysWhoDidIt() {
    GeolakeConfig config = config(data);
    catalog(config);
    ModelRegistry registry = new ModelRegistry(spark, Locations.of(config));
    RegisteredVersions.register(spark, config, config.model().horizonDays(), 0.81);
    registry.makeLive("v0001", "geolake train --as-of 2024-05-12", "live: no version was live");
    RegisteredVersions.register(spark, config, config.model().horizonDays(), 0.77);
    RegisteredVersions.register(spark, config, config.model().horizonDays() + 1, 0.90);

    Outcome listed = geolake("models", "--data", data.toString());
    assertThat(listed.out()).contains("v0001 live since", "made live by geolake train --as-of 2024-05-12: live: no version was live");
    assertThat(listed.out().lines().filter(l -> l.startsWith("v0001 ")).findFirst().orElseThrow()).contains("| *  ");

    Outcome noReason = geolake("models", "promote", "v0002", "--data", data.toString());
    assertThat(noReason.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noReason.err()).contains("Missing required option: '--reason=TEXT'");
    Outcome unknown = geolake("models", "promote", "v0009", "--reason", "x", "--data", data.toString());
    assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("No version v0009 of model X", "registered: v0001, v0002, v0003");
    // v0003 predicts another horizon than the config's: refused unless forced.
    Outcome otherHorizon = geolake("models", "promote", "v0003", "--reason", "best AUC", "--data", data.toString());
    assertThat(otherHorizon.code()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(otherHorizon.err()).contains("model.horizon-days is " + config.model().horizonDays(), "--force");

    Outcome promoted = geolake("models", "promote", "v0002", "--reason", "v0001 over-scores weekends", "--data", data.toString());
    assertThat(promoted.code()).as(promoted.err()).isZero();
    assertThat(promoted.out()).contains("Model X v0002 is live (was v0001): AUC-ROC 0.770", "geolake run --date D --force");
    assertThat(registry.live()).hasValueSatisfying(v -> assertThat(v.version()).isEqualTo("v0002"));
    assertThat(geolake("models", "promote", "v0002", "--reason", "again", "--data", data.toString()).out()).contains("live already; nothing changed");

    Outcome history = geolake("models", "--history", "--data", data.toString());
    String change = history.out().lines().filter(l -> l.contains("v0001 over-scores weekends")).findFirst().orElseThrow();
    assertThat(change).contains("| v0002 ", "| v0001 ", "| cli: " + System.getProperty("user.name") + " ");
    assertThat(history.out()).contains("geolake train --as-of 2024-05-12");
  }

  private static Outcome geolake(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
