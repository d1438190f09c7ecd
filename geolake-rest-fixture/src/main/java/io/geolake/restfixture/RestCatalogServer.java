package io.geolake.restfixture;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Apache Iceberg's reference REST catalog server ({@code org.apache.iceberg.rest.RESTCatalogServer},
 * the server of Iceberg's own REST tests) in a JVM of its own, on a free port of 127.0.0.1. Behind
 * it is a JDBC catalog in a SQLite file; tables it places go under {@link #warehouse()}.
 *
 * <p>Only JDK classes here: the caller's classpath has Spark's Iceberg runtime, whose relocated
 * classes the server's unshaded ones would clash with.
 */
public final class RestCatalogServer implements AutoCloseable {
  private static final String CLASSPATH_RESOURCE = "server-classpath.txt";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final URI uri;
  private final Path folder;

  private RestCatalogServer(Process process, URI uri, Path folder) {
    this.process = process;
    this.uri = uri;
    this.folder = folder;
  }

  /** Starts a server keeping its catalog and warehouse in {@code folder}; waits until it answers. */
  public static RestCatalogServer start(Path folder) {
    return start(folder, List.of());
  }

  /**
   * As above, with more on the server's classpath: a file system connector and a folder with its
   * {@code core-site.xml}, for tables whose files are not local (the server writes their metadata).
   */
  public static RestCatalogServer start(Path folder, List<String> extraClasspath) {
    try {
      Files.createDirectories(folder.resolve("warehouse"));
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder builder =
          new ProcessBuilder(java, "-Xmx256m", "-cp", classpath(extraClasspath), "org.apache.iceberg.rest.RESTCatalogServer")
              .redirectErrorStream(true)
              .redirectOutput(folder.resolve("server.log").toFile());
      // The fixture reads its catalog properties from CATALOG_* variables ("__" is "-", "_" is ".").
      Map<String, String> env = builder.environment();
      env.put("CATALOG_URI", "jdbc:sqlite:" + folder.resolve("catalog.db"));
      env.put("CATALOG_JDBC_SCHEMA__VERSION", "V1");
      env.put("CATALOG_CLIENTS", "1");
      env.put("CATALOG_WAREHOUSE", folder.resolve("warehouse").toUri().toString());
      env.put("CATALOG_REST_PORT", Integer.toString(port));
      Process process = builder.start();
      RestCatalogServer server = new RestCatalogServer(process, URI.create("http://127.0.0.1:" + port + "/"), folder);
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
      server.awaitStarted();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start Iceberg's REST catalog server in " + folder + ": " + e.getMessage(), e);
    }
  }

  /** The base URI clients give as the catalog's {@code uri}. */
  public URI uri() {
    return uri;
  }

  /** The server's own warehouse, where it places tables no location was given for. */
  public Path warehouse() {
    return folder.resolve("warehouse");
  }

  /** The SQLite file of the JDBC catalog behind the server. */
  public Path catalogDatabase() {
    return folder.resolve("catalog.db");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void awaitStarted() throws IOException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException("the server exited with code " + process.exitValue() + ": " + log());
      }
      try {
        HttpURLConnection connection = (HttpURLConnection) uri.resolve("v1/config").toURL().openConnection();
        connection.setConnectTimeout(1000);
        if (connection.getResponseCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the server", e);
      }
    }
    close();
    throw new IOException("the server did not answer within " + START_TIMEOUT.toSeconds() + " s: " + log());
  }

  private String log() throws IOException {
    return Files.readString(folder.resolve("server.log"));
  }

  private static String classpath(List<String> extra) throws IOException {
    List<String> entries = new ArrayList<>(extra);
    entries.add(serverClasspath());
    return String.join(File.pathSeparator, entries);
  }

  private static String serverClasspath() throws IOException {
    try (InputStream in = RestCatalogServer.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new IOException(CLASSPATH_RESOURCE + " is missing: build geolake-rest-fixture with Maven, which records it");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
  }
}
