package io.geolake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;
import io.geolake.pipeline.model.ModelRegistry;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.geolake.pipeline.testing.RegisteredVersions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** geolake models and geolake models promote, in-process on the test's Spark session. */
class TestModelsCommand extends BaseSparkTest {
  @TempDir Path data;

  @Test
  void anOperatorMakesAVersionLiveWithAReasonAndTheListSaysWhoDidIt() {
    GeolakeConfig config = config(data);
    catalog(config);
    ModelRegistry registry = new ModelRegistry(spark, Locations.of(config));
    RegisteredVersions.register(spark, config, config.model().horizonDays(), 0.81);
    registry.makeLive("v0001", "geolake train --as-of 2024-05-12", "live: no version was live");
    RegisteredVersions.register(spark, config, config.model().horizonDays(), 0.77);
    RegisteredVersions.register(spark, config, config.model().horizonDays() + 1, 0.90);

    InProcessGeolake.Result listed = InProcessGeolake.run("models", "--data", data.toString());
    assertThat(listed.out()).contains("v0001 live since", "made live by geolake train --as-of 2024-05-12: live: no version was live");
    assertThat(listed.out().lines().filter(l -> l.startsWith("v0001 ")).findFirst().orElseThrow()).contains("| *  ");

    InProcessGeolake.Result noReason = InProcessGeolake.run("models", "promote", "v0002", "--data", data.toString());
    assertThat(noReason.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noReason.err()).contains("Missing required option: '--reason=TEXT'");
    InProcessGeolake.Result unknown = InProcessGeolake.run("models", "promote", "v0009", "--reason", "x", "--data", data.toString());
    assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("No version v0009 of model X", "registered: v0001, v0002, v0003");
    // v0003 predicts another horizon than the config's: refused unless forced.
    InProcessGeolake.Result otherHorizon = InProcessGeolake.run("models", "promote", "v0003", "--reason", "best AUC", "--data", data.toString());
    assertThat(otherHorizon.code()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(otherHorizon.err()).contains("model.horizon-days is " + config.model().horizonDays(), "--force");

    InProcessGeolake.Result promoted = InProcessGeolake.run("models", "promote", "v0002", "--reason", "v0001 over-scores weekends", "--data", data.toString());
    assertThat(promoted.code()).as(promoted.err()).isZero();
    assertThat(promoted.out()).contains("Model X v0002 is live (was v0001): AUC-ROC 0.770", "geolake run --date D --force");
    assertThat(registry.live()).hasValueSatisfying(v -> assertThat(v.version()).isEqualTo("v0002"));
    assertThat(InProcessGeolake.run("models", "promote", "v0002", "--reason", "again", "--data", data.toString()).out()).contains("live already; nothing changed");

    InProcessGeolake.Result history = InProcessGeolake.run("models", "--history", "--data", data.toString());
    String change = history.out().lines().filter(l -> l.contains("v0001 over-scores weekends")).findFirst().orElseThrow();
    assertThat(change).contains("| v0002 ", "| v0001 ", "| cli: " + System.getProperty("user.name") + " ");
    assertThat(history.out()).contains("geolake train --as-of 2024-05-12");
  }

}
