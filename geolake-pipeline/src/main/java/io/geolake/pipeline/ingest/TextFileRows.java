package io.geolake.pipeline.ingest;

import io.geolake.core.rules.RejectReason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.util.LineReader;
import org.apache.spark.sql.Row;

/**
 * Reads a text file (optionally compressed) line by line with Hadoop's LineReader, decoding each
 * line strictly as UTF-8 so one bad line is rejected without losing the rest. A read error (a
 * truncated gzip stream, say) ends the file with one {@code unreadable_file} reject; the rows
 * before it are kept.
 */
final class TextFileRows extends LazyRows {
  /** Longer lines are cut by LineReader; they are rejected rather than parsed. */
  static final int MAX_LINE_BYTES = 1 << 20;

  private final DeliveryFile file;
  private final Configuration conf;
  private final LineParser parser;
  private final RejectReason malformedReason;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final Text buffer = new Text();
  private LineReader reader;
  private long lineNumber;
  private boolean headerSeen;
  private boolean finished;

  TextFileRows(DeliveryFile file, Configuration conf, LineParser parser, RejectReason malformedReason) {
    this.file = file;
    this.conf = conf;
    this.parser = parser;
    this.malformedReason = malformedReason;
  }

  @Override
  protected Row computeNext() {
    while (!finished) {
      try {
        if (reader == null) {
          reader = new LineReader(open(), conf);
        }
        int consumed = reader.readLine(buffer, MAX_LINE_BYTES, Integer.MAX_VALUE);
        if (consumed == 0) {
          close();
          return null;
        }
        lineNumber++;
        Row row = handle(consumed);
        if (row != null) {
          return row;
        }
      } catch (IOException | RuntimeException e) {
        close();
        return ParsedRows.reject(
            file,
            lineNumber,
            RejectReason.UNREADABLE_FILE,
            "read failed after line " + lineNumber + ": " + e,
            null);
      }
    }
    return null;
  }

  private Row handle(int consumedBytes) {
    String line;
    try {
      line = utf8.decode(ByteBuffer.wrap(buffer.getBytes(), 0, buffer.getLength())).toString();
    } catch (CharacterCodingException e) {
      return ParsedRows.reject(
          file, lineNumber, RejectReason.INVALID_ENCODING, "not valid UTF-8", lossy());
    }
    if (lineNumber == 1 && line.startsWith("\uFEFF")) {
      line = line.substring(1);
    }
    if (line.indexOf('\0') >= 0) {
      return ParsedRows.reject(
          file, lineNumber, RejectReason.INVALID_ENCODING, "NUL bytes: binary or UTF-16 data", lossy());
    }
    if (consumedBytes > MAX_LINE_BYTES) {
      return ParsedRows.reject(
          file, lineNumber, malformedReason, "line longer than " + MAX_LINE_BYTES + " bytes", line);
    }
    if (line.isBlank()) {
      return null;
    }
    if (!headerSeen) {
      headerSeen = true;
      Row reject = parser.header(line, lineNumber);
      if (reject != null) {
        close(); // the whole file is unusable; one reject says why
        return reject;
      }
      if (parser instanceof CsvLineParser) {
        return null;
      }
    }
    return parser.parse(line, lineNumber);
  }

  private String lossy() {
    return new String(buffer.getBytes(), 0, buffer.getLength(), StandardCharsets.UTF_8)
        .replace('\0', '\uFFFD');
  }

  private InputStream open() throws IOException {
    Path path = new Path(file.uri());
    FileSystem fs = path.getFileSystem(conf);
    InputStream in = fs.open(path);
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
    return codec == null ? in : codec.createInputStream(in);
  }

  private void close() {
    finished = true;
    if (reader != null) {
      try {
        reader.close();
      } catch (IOException ignored) {
        // Nothing more is read from this file; a failed close changes no result.
      }
    }
  }
}
