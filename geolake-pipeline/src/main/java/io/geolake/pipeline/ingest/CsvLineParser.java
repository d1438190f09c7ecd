package io.geolake.pipeline.ingest;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import io.geolake.core.rules.RejectReason;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * CSV with a header line, parsed line by line with univocity (the parser Spark's own CSV source
 * uses). A line with a different number of fields than the header is rejected, not guessed at.
 */
final class CsvLineParser implements LineParser {
  private final DeliveryFile file;
  private final SourceMapping mapping;
  private final CsvParser parser;
  private String[] header;
  private int[] canonicalIndex;

  CsvLineParser(DeliveryFile file, SourceMapping mapping) {
    this.file = file;
    this.mapping = mapping;
    CsvParserSettings settings = new CsvParserSettings();
    settings.getFormat().setDelimiter(mapping.delimiter());
    settings.getFormat().setLineSeparator("\n");
    settings.setMaxCharsPerColumn(-1);
    settings.setMaxColumns(4096);
    settings.setNullValue(null);
    settings.setEmptyValue(null);
    this.parser = new CsvParser(settings);
  }

  @Override
  public Row header(String line, long lineNumber) {
    header = parser.parseLine(line);
    if (header == null) {
      header = new String[0];
    }
    for (int i = 0; i < header.length; i++) {
      header[i] = header[i] == null ? "" : header[i].trim();
    }
    List<String> missing = mapping.missingRequired(Arrays.asList(header));
    if (!missing.isEmpty()) {
      return ParsedRows.reject(
          file,
          lineNumber,
          RejectReason.MISSING_COLUMNS,
          "header lacks required column(s) "
              + missing
              + "; map them in sources."
              + file.source()
              + ".fields",
          line);
    }
    canonicalIndex = new int[mapping.deliveredNames().size()];
    List<String> headerList = Arrays.asList(header);
    for (int f = 0; f < canonicalIndex.length; f++) {
      String name = mapping.deliveredNames().get(f);
      canonicalIndex[f] = name == null ? -1 : headerList.indexOf(name);
    }
    return null;
  }

  @Override
  public Row parse(String line, long lineNumber) {
    String[] values;
    try {
      values = parser.parseLine(line);
    } catch (RuntimeException e) {
      return ParsedRows.reject(file, lineNumber, RejectReason.MALFORMED_CSV, e.getMessage(), line);
    }
    if (values == null || values.length != header.length) {
      return ParsedRows.reject(
          file,
          lineNumber,
          RejectReason.MALFORMED_CSV,
          "expected " + header.length + " fields as in the header, found " + (values == null ? 0 : values.length),
          line);
    }
    String[] canonical = new String[canonicalIndex.length];
    for (int f = 0; f < canonical.length; f++) {
      canonical[f] = canonicalIndex[f] < 0 ? null : values[canonicalIndex[f]];
    }
    Map<String, String> extra = null;
    if (header.length > countMapped()) {
      extra = new HashMap<>();
      for (int i = 0; i < header.length; i++) {
        if (!isMapped(i)) {
          extra.put(header[i], values[i]);
        }
      }
    }
    return ParsedRows.parsed(file, lineNumber, canonical, extra);
  }

  private int countMapped() {
    int n = 0;
    for (int index : canonicalIndex) {
      n += index >= 0 ? 1 : 0;
    }
    return n;
  }

  private boolean isMapped(int column) {
    for (int index : canonicalIndex) {
      if (index == column) {
        return true;
      }
    }
    return false;
  }
}
