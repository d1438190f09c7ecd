package io.geolake.dist;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An S3-compatible server in its own JVM: S3Proxy over a folder, where bucket B's object K is the
 * file {@code <folder>/B/K}. Clients sign their requests (AWS v2 or v4) with the key pair below.
 */
final class S3Server implements AutoCloseable {
  static final String ACCESS_KEY = "geolake";
  static final String SECRET_KEY = "geolake-secret";

  private final Process process;
  private final Path folder;
  private final int port;

  S3Server(Path scratch, Path s3ProxyJar) throws IOException, InterruptedException {
    folder = Files.createDirectories(scratch.resolve("s3"));
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path properties = Files.writeString(scratch.resolve("s3proxy.properties"), String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + folder), StandardCharsets.UTF_8);
    Path log = scratch.resolve("s3proxy.log");
    process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-jar", s3ProxyJar.toString(), "--properties", properties.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    close();
    throw new AssertionError("S3Proxy did not start within a minute:\n" + Files.readString(log, StandardCharsets.UTF_8));
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** Makes a bucket; its objects are the files under the returned folder. */
  Path bucket(String name) throws IOException {
    return Files.createDirectories(folder.resolve(name));
  }

  /** Uploads a local folder's files through the S3 API (as a vendor's delivery arrives), under {@code s3a://bucket/prefix}. */
  void upload(Path local, String target) throws IOException {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    for (String property : sparkConf()) {
      String[] pair = property.substring("spark.hadoop.".length()).split("=", 2);
      conf.set(pair[0], pair[1]);
    }
    org.apache.hadoop.fs.Path to = new org.apache.hadoop.fs.Path(target);
    org.apache.hadoop.fs.FileSystem s3 = to.getFileSystem(conf);
    try (java.util.stream.Stream<Path> files = Files.walk(local)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        s3.copyFromLocalFile(new org.apache.hadoop.fs.Path(file.toUri()), new org.apache.hadoop.fs.Path(to, local.relativize(file).toString()));
      }
    }
  }

  /** Spark properties that point Hadoop's S3A connector at this server. */
  List<String> sparkConf() {
    return List.of(
        "spark.hadoop.fs.s3a.endpoint=" + endpoint(),
        "spark.hadoop.fs.s3a.endpoint.region=us-east-1",
        "spark.hadoop.fs.s3a.path.style.access=true",
        "spark.hadoop.fs.s3a.connection.ssl.enabled=false",
        "spark.hadoop.fs.s3a.aws.credentials.provider=org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
        "spark.hadoop.fs.s3a.access.key=" + ACCESS_KEY,
        "spark.hadoop.fs.s3a.secret.key=" + SECRET_KEY,
        // Keep directory markers (Hadoop's advice since 3.3): with deletion on, S3A 3.3.4's upload
        // waits on a marker delete queued behind itself and hangs.
        "spark.hadoop.fs.s3a.directory.marker.retention=keep",
        // Fail fast instead of retrying for minutes when something is wrong.
        "spark.hadoop.fs.s3a.attempts.maximum=2",
        "spark.hadoop.fs.s3a.retry.limit=2");
  }

  /** The same settings as a Hadoop {@code core-site.xml}, for a process that is not Spark. */
  String hadoopSite() {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
    for (String property : sparkConf()) {
      String[] pair = property.substring("spark.hadoop.".length()).split("=", 2);
      xml.append("  <property><name>").append(pair[0]).append("</name><value>").append(pair[1]).append("</value></property>\n");
    }
    return xml.append("</configuration>\n").toString();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
