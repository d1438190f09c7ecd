package io.geolake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.geolake.core.config.ConfigLoader;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.ops.alert.Alert;
import io.geolake.ops.alert.Alerter;
import io.geolake.pipeline.run.RunStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** geolake incidents: the open incidents from the run store, newest first; closed ones with --all. No Spark. */
class TestIncidentsCommand {
  @TempDir Path data;

  @Test
  void listsOpenIncidentsNewestFirstAndClosedOnesWithAll() {
    assertThat(run("incidents", "--data", data.toString())).contains("No open incidents.");
    GeolakeConfig config = ConfigLoader.load(null, List.of("data=" + data));
    RunStore store = new RunStore(config);
    LocalDate day = LocalDate.of(2024, 5, 6);
    new Alerter(config, store, Clock.fixed(Instant.parse("2024-05-07T05:00:00Z"), ZoneOffset.UTC))
        .raise(Alert.runFailed(day, day + "-1", "stage", "disk full", "geolake runs --date " + day));
    Alerter later = new Alerter(config, store, Clock.fixed(Instant.parse("2024-05-07T08:00:00Z"), ZoneOffset.UTC));
    later.raise(Alert.slaMissed(day, Instant.parse("2024-05-07T07:00:00Z"), "run " + day + "-1 is FAILED"));

    List<String> open = run("incidents", "--data", data.toString()).lines().toList();
    assertThat(open.get(2)).startsWith("open ").contains("| SLA missed ", "Scores for 2024-05-06 were not published by 2024-05-07T07:00:00Z");
    assertThat(open.get(3)).startsWith("open ").contains("| run failed ", "geolake run of 2024-05-06 failed in step stage", "2024-05-07T05:00:00Z", "|     1 |");

    later.recovered(day, day + "-2");
    assertThat(run("incidents", "--data", data.toString())).contains("No open incidents.");
    assertThat(run("incidents", "--data", data.toString(), "--all")).contains("closed ", "geolake run of 2024-05-06 failed in step stage", "2024-05-07T08:00:00Z");
  }

  private static String run(String... args) {
    InProcessGeolake.Result result = InProcessGeolake.run(args);
    assertThat(result.code()).as(result.err()).isZero();
    return result.out();
  }
}
