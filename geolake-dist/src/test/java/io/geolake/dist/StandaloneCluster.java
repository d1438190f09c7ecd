package io.geolake.dist;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on this machine: a master and a worker process, each a plain
 * Spark installation (a SPARK_HOME whose jars/ holds Spark's own classpath and nothing of
 * geolake's, plus any connector jars it is given). Jobs are sent to it the way users send them:
 * {@code spark-submit} of the shaded jar.
 */
final class StandaloneCluster implements AutoCloseable {
  /** How a spark-submit ended. */
  record Submitted(int code, String out, String err) {}

  private final Path home;
  private final List<String> sparkClasspath;
  private final List<Process> daemons = new ArrayList<>();
  private final int masterPort;

  StandaloneCluster(Path scratch, List<String> sparkClasspath) throws IOException, InterruptedException {
    this.sparkClasspath = sparkClasspath;
    this.home = Files.createDirectories(scratch.resolve("spark-home"));
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (String jar : sparkClasspath) {
      Path source = Path.of(jar);
      Files.createSymbolicLink(jars.resolve(source.getFileName()), source);
    }
    // Spark's launcher takes jars/ for an installation's when a RELEASE file is there.
    Files.writeString(home.resolve("RELEASE"), "Spark 3.5 (geolake test installation)\n");
    masterPort = freePort();
    Path logs = Files.createDirectories(scratch.resolve("logs"));
    Process master = daemon(logs.resolve("master.log"), "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(freePort()));
    await(master, logs.resolve("master.log"), "I have been elected leader");
    Process worker = daemon(logs.resolve("worker.log"), "org.apache.spark.deploy.worker.Worker",
        "--host", "127.0.0.1", "--cores", "2", "--memory", "3g", "--work-dir", workDir().toString(),
        "--webui-port", String.valueOf(freePort()), masterUrl());
    await(worker, logs.resolve("worker.log"), "Successfully registered with master");
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** Where the worker runs executors: app-*&#47;N/ with each executor's stdout and stderr. */
  Path workDir() {
    return home.resolve("work");
  }

  /**
   * {@code spark-submit --master <cluster> --conf ... --class <main> <jar> <args>}, in client mode,
   * waited for.
   */
  Submitted submit(Path jar, String mainClass, Path scratch, List<String> sparkConf, String... args) throws IOException, InterruptedException {
    return submit(jar, mainClass, scratch, sparkConf, Map.of(), args);
  }

  /** As above, with these variables added to spark-submit's environment (the driver's, in client mode). */
  Submitted submit(Path jar, String mainClass, Path scratch, List<String> sparkConf, Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    List<String> command = java("-Xmx2g");
    command.addAll(List.of("org.apache.spark.deploy.SparkSubmit", "--master", masterUrl(), "--deploy-mode", "client",
        "--class", mainClass, "--conf", "spark.executor.memory=1500m", "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.ui.enabled=false"));
    for (String conf : sparkConf) {
      command.addAll(List.of("--conf", conf));
    }
    command.add(jar.toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(scratch, "submit-out", ".txt");
    Path err = Files.createTempFile(scratch, "submit-err", ".txt");
    ProcessBuilder builder = builder(command);
    builder.environment().putAll(environment);
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(4, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("spark-submit " + String.join(" ", args) + " did not finish in 4 minutes; see " + err);
    }
    return new Submitted(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  private Process daemon(Path log, String mainClass, String... args) throws IOException {
    List<String> command = java("-Xmx512m");
    command.add(mainClass);
    command.addAll(List.of(args));
    Process process = builder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    daemons.add(process);
    return process;
  }

  /** java with Spark's module flags on Spark's classpath: what bin/spark-class starts. */
  private List<String> java(String heap) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(heap);
    for (String option : System.getProperty("geolake.javaOptions", "").trim().split("\\s+")) {
      if (!option.isEmpty()) {
        command.add(option);
      }
    }
    command.add("-cp");
    command.add(String.join(":", sparkClasspath));
    return command;
  }

  private ProcessBuilder builder(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.12");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    return builder;
  }

  private static void await(Process process, Path log, String line) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.readString(log, StandardCharsets.UTF_8).contains(line)) {
        return;
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("No '" + line + "' from the cluster within 2 minutes:\n" + Files.readString(log, StandardCharsets.UTF_8));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (int i = daemons.size() - 1; i >= 0; i--) {
      daemons.get(i).destroy(); // the worker first
    }
    for (Process daemon : daemons) {
      try {
        if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
          daemon.destroyForcibly();
        }
      } catch (InterruptedException e) {
        daemon.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
