package io.geolake.ops.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The run queue says when maintenance holds it, for /health. */
class TestRunQueue {
  @Test
  void maintenanceShowsWhileItRunsAndNotAfter() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Runnable maintenance = () -> {
      started.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    try (RunQueue queue = new RunQueue(date -> { throw new AssertionError("no date was queued"); }, maintenance)) {
      assertThat(queue.maintaining()).isFalse();
      queue.submitMaintenance("test");
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(queue.maintaining()).isTrue();
      assertThat(queue.running()).isNull();
      release.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (queue.finished().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(queue.finished()).singleElement().satisfies(f -> assertThat(f.succeeded()).isTrue());
      assertThat(queue.maintaining()).isFalse();
    }
  }
}
