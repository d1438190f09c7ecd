package io.geolake.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A geolake command in its own JVM, started the way the launcher starts it. */
final class ChildGeolake {
  record Result(int code, String out, String err) {}

  private final Process process;
  private final Path out;
  private final Path err;
  private final String command;

  private ChildGeolake(Process process, Path out, Path err, String command) {
    this.process = process;
    this.out = out;
    this.err = err;
    this.command = command;
  }

  static ChildGeolake start(Path scratch, String... args) throws IOException {
    return start(scratch, List.of(), args);
  }

  /** @param jvmOptions extra JVM options, e.g. {@code -Dspark.serializer=...} (read as spark-submit's are) */
  static ChildGeolake start(Path scratch, List<String> jvmOptions, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.addAll(jvmOptions);
    command.addAll(List.of(System.getProperty("geolake.javaOptions", "").trim().split("\\s+")));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    command.removeIf(String::isEmpty);
    Files.createDirectories(scratch);
    Path out = Files.createTempFile(scratch, "out", ".txt");
    Path err = Files.createTempFile(scratch, "err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return new ChildGeolake(builder.start(), out, err, "geolake " + String.join(" ", args));
  }

  static Result run(Path scratch, String... args) throws IOException, InterruptedException {
    return start(scratch, args).await();
  }

  Result await() throws IOException, InterruptedException {
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish in 5 minutes");
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Waits until the process's standard error contains {@code text}; false if it ended or time ran out first. */
  boolean awaitError(String text, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.readString(err, StandardCharsets.UTF_8).contains(text)) {
        return true;
      }
      if (!process.isAlive()) {
        return false;
      }
      Thread.sleep(50);
    }
    return false;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no finally block, no cleanup runs in the child. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(1, TimeUnit.MINUTES);
  }

  String error() throws IOException {
    return Files.readString(err, StandardCharsets.UTF_8);
  }
}
