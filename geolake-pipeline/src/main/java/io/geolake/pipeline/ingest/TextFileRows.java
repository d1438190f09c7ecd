package io.geolake.pipeline.ingest;

import io.geolake.core.rules.RejectReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.spark.sql.Row;

/**
 * Reads a text file (optionally compressed), or a part of it, line by line with Hadoop's
 * LineReader, decoding each line strictly as UTF-8 so one bad line is rejected without losing the
 * rest. A read error (a truncated gzip stream, say) ends the part with one {@code unreadable_file}
 * reject; the rows before it are kept. A part after the first reads the file's header from its
 * start, so it parses its lines as the first part would.
 */
final class TextFileRows extends LazyRows {
  /** Longer lines are cut by LineReader; they are rejected rather than parsed. */
  static final int MAX_LINE_BYTES = 1 << 20;

  private final FilePart part;
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
  private RangeLines reader;
  private long lineNumber;
  private boolean headerSeen;
  /** The header's line number (the first non-blank line that decodes), 0 until it is seen. */
  private long headerLine;
  private boolean headerRejected;
  private boolean readFailed;
  private boolean finished;

  TextFileRows(FilePart part, Configuration conf, LineParser parser, RejectReason malformedReason) {
    this.part = part;
    this.file = part.file();
    this.lineNumber = part.linesBefore();
    this.conf = conf;
    this.parser = parser;
    this.malformedReason = malformedReason;
  }

  @Override
  protected Row computeNext() {
    while (!finished) {
      try {
        if (reader == null) {
          if (part.start() > 0) {
            primeHeader();
            if (finished) {
              return null;
            }
          }
          reader = new RangeLines(part, conf);
        }
        int consumed = reader.next(buffer);
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
        readFailed = true;
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
      headerLine = lineNumber;
      Row reject = parser.header(line, lineNumber);
      if (reject != null) {
        headerRejected = true;
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

  /**
   * Gives the parser the file's header when an earlier part holds it; a rejected header leaves
   * nothing for this part to read (the first part reports it). When the header is in this part or
   * later, lines before it are only blank or undecodable, and this part reads as the file's start.
   */
  private void primeHeader() throws IOException {
    TextFileRows start = new TextFileRows(FilePart.whole(file), conf, parser, malformedReason);
    try {
      while (start.headerLine == 0 && start.hasNext()) {
        start.next();
      }
    } finally {
      start.close();
    }
    if (start.readFailed && start.headerLine == 0) {
      throw new IOException("the file's start, where its header is, cannot be read");
    }
    if (start.headerLine != 0 && start.headerLine <= part.linesBefore()) {
      headerSeen = true;
      finished = start.headerRejected;
    }
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
