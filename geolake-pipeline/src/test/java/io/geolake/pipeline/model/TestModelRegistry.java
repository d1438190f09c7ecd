package io.geolake.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.testing.BaseSparkTest;
import io.geolake.pipeline.testing.RegisteredVersions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changes of the registry that overlap — serve's scheduled training, geolake train, geolake
 * promote and the API in any mix — each happen whole, and readers do not miss the live version.
 */
class TestModelRegistry extends BaseSparkTest {
  @TempDir Path data;

  @Test
  void overlappingPromotionsKeepEveryChange() throws Exception {
    GeolakeConfig config = config(data);
    ModelRegistry registry = new ModelRegistry(spark, config);
    RegisteredVersions.register(spark, config, 7, 0.8);
    RegisteredVersions.register(spark, config, 7, 0.8);
    registry.makeLive("v0001", "test", "first");

    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> promoters = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String version = t % 2 == 0 ? "v0001" : "v0002";
        promoters.add(threads.submit(() -> {
          for (int i = 0; i < 5; i++) {
            registry.makeLive(version, "test", "round " + i);
          }
        }));
      }
      for (Future<?> promoter : promoters) {
        promoter.get();
      }
    } finally {
      threads.shutdownNow();
    }

    List<LiveChange> history = registry.liveHistory();
    assertThat(history).hasSize(21);
    // Each change was made from the one before it: none was made from a pointer read before another's write.
    for (int i = 1; i < history.size(); i++) {
      assertThat(history.get(i).previous()).as("change %d", i).isEqualTo(history.get(i - 1).version());
    }
    assertThat(registry.live().map(ModelVersion::version)).contains(history.get(20).version());
  }

  @Test
  void overlappingRegistrationsGetNamesOfTheirOwnAndANameTakenIsRefused() throws Exception {
    GeolakeConfig config = config(data);
    ModelRegistry registry = new ModelRegistry(spark, config);
    ExecutorService threads = Executors.newFixedThreadPool(3);
    List<Future<ModelVersion>> registered = new ArrayList<>();
    List<String> names = new ArrayList<>();
    CyclicBarrier fitted = new CyclicBarrier(3); // the three name and register their versions at once
    try {
      for (int t = 0; t < 3; t++) {
        Callable<ModelVersion> register =
            () -> RegisteredVersions.register(spark, config, 7, 0.8, LocalDate.of(2024, 5, 12), () -> {
              try {
                fitted.await(60, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
        registered.add(threads.submit(register));
      }
      for (Future<ModelVersion> version : registered) {
        names.add(version.get().version());
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(names).containsExactlyInAnyOrder("v0001", "v0002", "v0003");
    assertThat(registry.versions()).extracting(ModelVersion::version).containsExactly("v0001", "v0002", "v0003");

    ModelVersion first = registry.versions().get(0);
    assertThatThrownBy(() -> registry.register(registry.load("v0001"), first, registry.baseline("v0001").orElseThrow()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("v0001 is registered already");
  }

  @Test
  void aReaderFindingThePointerBeingReplacedWaitsForIt() throws Exception {
    GeolakeConfig config = config(data);
    ModelRegistry registry = new ModelRegistry(spark, config);
    RegisteredVersions.register(spark, config, 7, 0.8);
    registry.makeLive("v0001", "test", "first");
    // What a store that cannot rename over a file (HDFS, S3A) shows while live.json is replaced:
    // the old one deleted, the new one still under its temporary name.
    Path folder = Path.of(new org.apache.hadoop.fs.Path(registry.location()).toUri().getPath());
    Files.move(folder.resolve("live.json"), folder.resolve(".live.json.tmp"));
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try {
      Future<Optional<ModelVersion>> live = reader.submit(registry::live);
      Thread.sleep(300);
      assertThat(live).isNotDone();
      Files.move(folder.resolve(".live.json.tmp"), folder.resolve("live.json"));
      assertThat(live.get(10, TimeUnit.SECONDS)).map(ModelVersion::version).contains("v0001");
    } finally {
      reader.shutdownNow();
    }
    // No pointer and no replacement in progress: no version is live.
    Files.delete(folder.resolve("live.json"));
    assertThat(registry.live()).isEmpty();
  }
}
