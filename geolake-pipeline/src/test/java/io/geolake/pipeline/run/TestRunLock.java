package io.geolake.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geolake.core.config.ConfigLoader;
import io.geolake.core.config.Locations;
import java.nio.file.Path;
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
}
