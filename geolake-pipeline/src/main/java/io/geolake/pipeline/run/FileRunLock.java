package io.geolake.pipeline.run;

import io.geolake.core.config.Locations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.function.Function;

/**
 * The lock of a lake whose run store is the default SQLite file in its data folder: an OS file
 * lock on {@code <data>/geolake.lock}, released by the OS when the process ends, even by SIGKILL,
 * so a killed run never leaves a stale lock and needs no timeout. The file names the holder.
 */
final class FileRunLock implements RunLock {
  static final String FILE_NAME = "geolake.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private FileRunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock of the (local) data folder or fails naming the holder. */
  static FileRunLock acquire(Locations locations, String purpose) {
    Path data = Path.of(locations.data());
    return acquire(
        data.resolve(FILE_NAME),
        purpose,
        holder ->
            new RunLockedException(
                "Cannot start " + purpose + ": another run holds the lock of " + data + " (" + holder
                    + "). Wait for it to finish; a killed run releases the lock by itself."));
  }

  /**
   * Takes the lock on {@code file} or throws what {@code refusal} makes of the holder's name. A
   * lock this process holds through another channel counts as held.
   */
  static FileRunLock acquire(Path file, String purpose, Function<String, RunLockedException> refusal) {
    try {
      Files.createDirectories(file.getParent());
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String holder = holder(file);
        channel.close();
        throw refusal.apply(holder.isEmpty() ? "holder unknown" : holder);
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (purpose + ", process " + ManagementFactory.getRuntimeMXBean().getName() + ", since " + Instant.now())
                  .getBytes(StandardCharsets.UTF_8)));
      channel.force(false);
      return new FileRunLock(channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The holder named in the lock file. The holder writes its name just after taking the lock, so a
   * run that finds the lock taken in between waits a moment for the name rather than saying "unknown".
   */
  private static String holder(Path file) throws IOException {
    String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
    for (int i = 0; holder.isEmpty() && i < 40; i++) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      holder = Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    return holder;
  }

  @Override
  public void checkHeld() {
    // The OS holds it for as long as this process lives.
  }

  @Override
  public void close() {
    try {
      channel.truncate(0);
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // The OS drops the lock with the channel; nothing is left to undo.
    }
  }
}
