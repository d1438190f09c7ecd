package io.geolake.pipeline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, one per test JVM. {@code GEOLAKE_TEST_POSTGRES_URL} (a JDBC
 * URL with user and password) names a running one; otherwise the server binaries of the Debian
 * package ({@code apt-get install -y postgresql}) start a throw-away cluster in a temp folder on a
 * free port, stopped when the JVM exits. As root the cluster runs as the package's postgres user
 * (PostgreSQL refuses to run as root).
 */
public final class PostgresServer {
  public static final String URL_VARIABLE = "GEOLAKE_TEST_POSTGRES_URL";
  private static String url;

  private PostgresServer() {}

  /** The JDBC URL of the test server, starting it on first use. */
  public static synchronized String jdbcUrl() {
    if (url == null) {
      String given = System.getenv(URL_VARIABLE);
      url = given != null && !given.isBlank() ? given : start();
    }
    return url;
  }

  private static String start() {
    Path bin = binaries().orElseThrow(() -> new IllegalStateException(
        "These tests need a PostgreSQL server: install the server package (apt-get install -y postgresql) so that pg_ctl and "
            + "initdb are found under /usr/lib/postgresql/<version>/bin or on the PATH, or set " + URL_VARIABLE
            + " to the JDBC URL of a running server (jdbc:postgresql://host:port/db?user=...&password=...)."));
    try {
      Path dir = Files.createTempDirectory("geolake-pg-");
      Path cluster = dir.resolve("cluster");
      boolean root = "root".equals(System.getProperty("user.name"));
      if (root) {
        exec(List.of("chown", "postgres", dir.toString()), false);
      }
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      exec(List.of(bin.resolve("initdb").toString(), "-D", cluster.toString(), "-A", "trust", "-U", "geolake", "--no-sync", "-E", "UTF8"), root);
      String options = "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off";
      exec(List.of(bin.resolve("pg_ctl").toString(), "-D", cluster.toString(), "-o", options, "-l", dir.resolve("server.log").toString(), "-w", "start"), root);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          exec(List.of(bin.resolve("pg_ctl").toString(), "-D", cluster.toString(), "-m", "immediate", "stop"), root);
          try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
          }
        } catch (IOException | RuntimeException ignored) {
          // The JVM is exiting; a leftover temp folder is all that can remain.
        }
      }));
      return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=geolake";
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start a PostgreSQL test server from " + bin + ": " + e.getMessage(), e);
    }
  }

  private static Optional<Path> binaries() {
    List<Path> candidates = new ArrayList<>();
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      versions.map(v -> v.resolve("bin")).sorted(Comparator.reverseOrder()).forEach(candidates::add);
    } catch (IOException noPackage) {
      // Not installed the Debian way; try the PATH.
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir));
      }
    }
    return candidates.stream().filter(d -> Files.isExecutable(d.resolve("pg_ctl")) && Files.isExecutable(d.resolve("initdb"))).findFirst();
  }

  private static void exec(List<String> command, boolean asPostgres) throws IOException {
    List<String> full = new ArrayList<>();
    if (asPostgres) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException(String.join(" ", full) + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted: " + String.join(" ", full), e);
    }
  }
}
