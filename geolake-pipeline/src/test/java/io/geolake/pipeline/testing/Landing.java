package io.geolake.pipeline.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Writes hand-made delivery files into a landing folder for tests. */
public final class Landing {
  public static final String HEADER =
      "device_id,id_type,latitude,longitude,horizontal_accuracy,event_ts";

  private final Path root;

  public Landing(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public Path folder(LocalDate date) {
    Path dir = root.resolve("pings").resolve("dt=" + date);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /** A CSV file with the standard header and the given data lines. */
  public Path csv(LocalDate date, String name, String... lines) {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    for (String line : lines) {
      text.append(line).append('\n');
    }
    return bytes(date, name, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  public Path csvGz(LocalDate date, String name, String... lines) {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    for (String line : lines) {
      text.append(line).append('\n');
    }
    return bytes(date, name, gzip(text.toString().getBytes(StandardCharsets.UTF_8)));
  }

  public Path jsonl(LocalDate date, String name, String... lines) {
    return bytes(date, name, (String.join("\n", List.of(lines)) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  public Path bytes(LocalDate date, String name, byte[] content) {
    Path file = folder(date).resolve(name);
    try {
      Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  public static byte[] gzip(byte[] content) {
    try (var buffer = new java.io.ByteArrayOutputStream();
        OutputStream out = new GZIPOutputStream(buffer)) {
      out.write(content);
      out.close();
      return buffer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
