package io.geolake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.config.ConfigLoader;
import io.geolake.pipeline.run.RunState;
import io.geolake.pipeline.run.RunStore;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clusters often set Spark's Kryo serializer (and some libraries, Hudi among them, require it):
 * a daily run must work under it too. Its own JVM, since a session's serializer is fixed.
 */
class TestKryoSerializer {
  @TempDir Path scratch;

  @Test
  void aDailyRunSucceedsUnderTheKryoSerializer() throws Exception {
    Path landing = scratch.resolve("landing");
    Path lake = scratch.resolve("lake");
    String day = "2024-05-06";
    assertThat(ChildGeolake.run(scratch, "generate", "--out", landing.toString(), "--devices", "20", "--days", "1", "--start", day, "--seed", "7").code())
        .isZero();
    ChildGeolake.Result run =
        ChildGeolake.start(
                scratch,
                List.of("-Dspark.serializer=org.apache.spark.serializer.KryoSerializer"),
                "run", "--date", day, "--data", lake.toString(), "--landing", landing.toString(), "--set", "catalog.name=kryo_lake")
            .await();

    assertThat(run.code()).as(run.err()).isZero();
    var runs = new RunStore(ConfigLoader.load(null, List.of("data=" + lake))).runs(LocalDate.parse(day), 10);
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).state()).isEqualTo(RunState.SUCCEEDED);
  }
}
