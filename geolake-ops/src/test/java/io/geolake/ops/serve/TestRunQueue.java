package io.geolake.ops.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geolake.pipeline.run.RunReport;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The run queue says which chore holds it, for /health, and runs chores in the order asked once no date waits. */
class TestRunQueue {
  @Test
  void aChoreShowsWhileItRunsAndNotAfter() throws Exception {
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
    try (RunQueue queue = new RunQueue(date -> { throw new AssertionError("no date was queued"); },
        java.util.Map.of(RunQueue.MAINTENANCE, maintenance, RunQueue.TRAINING, () -> {}))) {
      assertThat(queue.chore()).isNull();
      queue.submitChore(RunQueue.MAINTENANCE, "test");
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(queue.chore()).isEqualTo(RunQueue.MAINTENANCE);
      assertThat(queue.running()).isNull();
      release.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (queue.finished().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(queue.finished()).singleElement().satisfies(f -> assertThat(f.succeeded()).isTrue());
      assertThat(queue.chore()).isNull();
      assertThatThrownBy(() -> queue.submitChore("vacuum", "test")).hasMessageContaining("known");
    }
  }

  @Test
  void choresWaitForEveryQueuedDateAndRunInTheOrderAsked() throws Exception {
    List<String> done = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    Function<LocalDate, RunReport> runner = date -> {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      done.add(date.toString());
      throw new IllegalStateException("not a real run"); // the queue records it failed and goes on
    };
    try (RunQueue queue = new RunQueue(runner,
        java.util.Map.of(RunQueue.MAINTENANCE, () -> done.add("maintenance"), RunQueue.TRAINING, () -> done.add("training")))) {
      queue.submit(LocalDate.of(2024, 5, 7), "test");
      long started = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (queue.running() == null && System.nanoTime() < started) {
        Thread.sleep(5);
      }
      queue.submitChore(RunQueue.TRAINING, "test");
      queue.submitChore(RunQueue.MAINTENANCE, "test");
      queue.submitChore(RunQueue.TRAINING, "again"); // already waiting: nothing more
      queue.submit(LocalDate.of(2024, 5, 6), "test"); // asked after the chores, still runs before them
      release.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (queue.finished().size() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(done).containsExactly("2024-05-07", "2024-05-06", "training", "maintenance");
      assertThat(queue.finished()).extracting(RunQueue.Finished::chore).containsExactly(null, null, "training", "maintenance");
    }
  }
}
