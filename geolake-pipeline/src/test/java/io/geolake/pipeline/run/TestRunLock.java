package io.geolake.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geolake.core.config.ConfigLoader;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.core.config.Locations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestRunLock {
  @TempDir Path data;

  @Test
  void aSecondRunIsRefusedNamingTheHolderAndTheLockIsFreedAfterwards() {
    Locations locations = Locations.of(ConfigLoader.load(null, List.of("data=" + data)));
    try (FileRunLock first = FileRunLock.acquire(locations, "the run of 2024-05-06")) {
      assertThatThrownBy(() -> FileRunLock.acquire(locations, "the run of 2024-05-07"))
          .isInstanceOf(RunLockedException.class)
          .hasMessageContaining("Cannot start the run of 2024-05-07")
          .hasMessageContaining("the run of 2024-05-06, process ");
    }
    try (FileRunLock again = FileRunLock.acquire(locations, "the run of 2024-05-07")) {
      assertThat(data.resolve(FileRunLock.FILE_NAME)).content().contains("the run of 2024-05-07");
    }
  }

  @Test
  void theModelRegistrysLockWaitsForItsHolderRefusesPastItsPatienceAndLeavesRunsAlone() throws Exception {
    GeolakeConfig config = ConfigLoader.load(null, List.of("data=" + data));
    Locations locations = Locations.of(config);
    RunLock held = RunLock.await(config, "model-registry", "the model registry", "register model X", Duration.ofSeconds(5));
    try (FileRunLock run = FileRunLock.acquire(locations, "the run of 2024-05-06")) {
      assertThat(run).isNotNull(); // a run does not wait for the registry
    }
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      assertThatThrownBy(() -> other.submit(() -> RunLock.await(config, "model-registry", "the model registry", "make v0002 live", Duration.ofMillis(300))).get())
          .hasCauseInstanceOf(RunLockedException.class)
          .hasMessageContaining("Cannot make v0002 live: the model registry has been held")
          .hasMessageContaining("by register model X, process ");

      long asked = System.nanoTime();
      Future<RunLock> waiting = other.submit(() -> RunLock.await(config, "model-registry", "the model registry", "make v0002 live", Duration.ofSeconds(20)));
      Thread.sleep(600);
      assertThat(waiting).isNotDone();
      held.close();
      try (RunLock taken = waiting.get(10, TimeUnit.SECONDS)) {
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(data.resolve("model-registry.lock")).content().contains("make v0002 live");
      }
    } finally {
      held.close();
      other.shutdownNow();
    }
  }
}
