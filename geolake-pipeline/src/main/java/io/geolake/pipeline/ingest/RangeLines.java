package io.geolake.pipeline.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.util.LineReader;

/**
 * The lines of a file part, cut as Hadoop's LineRecordReader cuts splits: a part after the first
 * skips the line it starts in, and reads every line that starts at or before its end, the last one
 * past it. So each line of the file is read by exactly one part, whatever the byte ranges are (CR,
 * LF and CRLF endings alike). Lines are cut at {@link TextFileRows#MAX_LINE_BYTES} but consumed
 * whole, so an overlong line is still one line.
 */
final class RangeLines implements Closeable {
  private final LineReader reader;
  private final long end;
  private long position;

  RangeLines(FilePart part, Configuration conf) throws IOException {
    Path path = new Path(part.file().uri());
    FileSystem fs = path.getFileSystem(conf);
    FSDataInputStream in = fs.open(path);
    try {
      if (part.isWhole()) {
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
        InputStream stream = codec == null ? in : codec.createInputStream(in);
        reader = new LineReader(stream, conf);
      } else {
        in.seek(part.start());
        reader = new LineReader(in, conf);
      }
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
    end = part.end();
    position = part.start();
    if (position != 0) {
      position += reader.readLine(new Text(), 0, Integer.MAX_VALUE);
    }
  }

  /** Reads the next line into {@code line}; returns the bytes it took, 0 at the part's end. */
  int next(Text line) throws IOException {
    if (position > end) {
      return 0;
    }
    int consumed = reader.readLine(line, TextFileRows.MAX_LINE_BYTES, Integer.MAX_VALUE);
    position += consumed;
    return consumed;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
