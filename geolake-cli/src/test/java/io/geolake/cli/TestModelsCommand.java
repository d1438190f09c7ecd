package io.geolake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.model.ModelRegistry;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.geolake.pipeline.testing.RegisteredVersions;
import io.geolake.pipeline.run.RunState;
import io.geolake.pipeline.run.RunStore;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** geolake models and geolake models promote, in-process on the test's Spark session. */
class TestModelsCommand extends BaseSparkTest {
  @TempDir Path data;

  @Test
  void anOperatorMakesAVersionLiveWithAReasonAndTheListSaysWhoDidIt() {
    GeolakeConfig config = config(data);
    catalog(config);
    ModelRegistry registry = new ModelRegistry(spark, config);
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

  @Test
  void trainLatestLearnsAsOfTheNewestSucceededDateOrSaysWhyItDoesNot() {
    GeolakeConfig config = config(data);
    InProcessGeolake.Result neither = InProcessGeolake.run("train", "--data", data.toString());
    assertThat(neither.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(neither.err()).contains("--as-of", "--latest");
    InProcessGeolake.Result both = InProcessGeolake.run("train", "--as-of", "2024-05-12", "--latest", "--data", data.toString());
    assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.err()).contains("mutually exclusive");

    InProcessGeolake.Result nothingYet = InProcessGeolake.run("train", "--latest", "--data", data.toString());
    assertThat(nothingYet.code()).as(nothingYet.err()).isZero();
    assertThat(nothingYet.out()).contains("no date has run successfully yet");

    RunStore store = new RunStore(config);
    store.finish(store.start(LocalDate.of(2024, 5, 12), "test"), RunState.SUCCEEDED, null);
    RegisteredVersions.register(spark, config, config.model().horizonDays(), 0.8, LocalDate.of(2024, 5, 12));
    InProcessGeolake.Result nothingNew = InProcessGeolake.run("train", "--latest", "--data", data.toString());
    assertThat(nothingNew.code()).as(nothingNew.err()).isZero();
    assertThat(nothingNew.out()).contains("nothing new to learn from: v0001 was trained as of 2024-05-12");
    // A newer date published, but the lake began on 05-12: no training date yet, and no incident.
    store.finish(store.start(LocalDate.of(2024, 5, 13), "test"), RunState.SUCCEEDED, null);
    InProcessGeolake.Result young = InProcessGeolake.run("train", "--latest", "--data", data.toString());
    assertThat(young.code()).as(young.err()).isZero();
    assertThat(young.out()).contains("not enough history yet", "the lake's first date is 2024-05-12", "the first training can be as of 2024-06-02");
    assertThat(InProcessGeolake.run("incidents", "--data", data.toString()).out()).contains("No open incidents.");
    // With a first date further back, --latest trains as of 05-13 (and fails here, the lake having
    // no profiles, naming the date), and raises the incident.
    store.finish(store.start(LocalDate.of(2024, 4, 1), "test"), RunState.FAILED, "no delivery");
    InProcessGeolake.Result newer = InProcessGeolake.run("train", "--latest", "--data", data.toString());
    assertThat(newer.code()).isEqualTo(ExitCodes.RUN_FAILED);
    assertThat(newer.err()).contains("Cannot train model X as of 2024-05-13");
    assertThat(InProcessGeolake.run("incidents", "--data", data.toString()).out()).contains("Training model X as of 2024-05-13 failed on");
  }
}
