package io.geolake.pipeline.ingest;

import org.apache.spark.sql.Row;

/** Turns one decoded text line into a parsed row or a reject. */
interface LineParser {
  /**
   * Called with the first non-blank line. Returns a file-level reject to stop reading, or null to
   * go on; a parser without a header passes the line on to {@link #parse}.
   */
  Row header(String line, long lineNumber);

  Row parse(String line, long lineNumber);
}
