package io.geolake.pipeline.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import io.geolake.core.config.GeolakeConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values a rejected line may hold, whatever broke it: where a forgotten device's lines are
 * found without a parsed device_id. Three readings, each catching what the others miss:
 *
 * <ul>
 *   <li>pieces between the characters a value can end at (JSON's quotes and brackets, the usual
 *       CSV delimiters, every source's own) — for truncated and garbled lines;
 *   <li>JSON string literals, unescaped — for a value holding a quote or a delimiter;
 *   <li>the line read as CSV with each source's delimiter — for a quoted value holding the
 *       delimiter or a doubled quote.
 * </ul>
 *
 * Not spaces: an id may hold one.
 */
final class LineFields implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern JSON_STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String boundaries;
  private final List<Character> delimiters;
  private transient Pattern boundaryPattern;
  private transient List<CsvParser> parsers;

  private LineFields(String boundaries, List<Character> delimiters) {
    this.boundaries = boundaries;
    this.delimiters = delimiters;
  }

  static LineFields of(GeolakeConfig config) {
    StringBuilder alternatives = new StringBuilder("[\"\\[\\]{},;|\t]");
    Set<Character> delimiters = new LinkedHashSet<>(List.of(','));
    for (GeolakeConfig.Source source : config.sources().values()) {
      String delimiter = source.csv() == null ? null : source.csv().delimiter();
      if (delimiter != null && !delimiter.isEmpty()) {
        alternatives.append('|').append(Pattern.quote(delimiter));
        delimiters.add(delimiter.charAt(0));
      }
    }
    return new LineFields("(?:" + alternatives + ")+", List.copyOf(delimiters));
  }

  /** Every value the line may hold, trimmed, without empty ones. */
  Set<String> of(String line) {
    Set<String> fields = new LinkedHashSet<>();
    if (boundaryPattern == null) {
      boundaryPattern = Pattern.compile(boundaries);
    }
    for (String piece : boundaryPattern.split(line)) {
      add(fields, piece);
    }
    Matcher literal = JSON_STRING.matcher(line);
    while (literal.find()) {
      add(fields, unescapeJson(literal.group(1)));
    }
    for (CsvParser parser : parsers()) {
      try {
        String[] values = parser.parseLine(line);
        if (values != null) {
          for (String value : values) {
            add(fields, value);
          }
        }
      } catch (RuntimeException e) {
        // Not CSV with this delimiter: the other readings stand.
      }
    }
    return fields;
  }

  private List<CsvParser> parsers() {
    if (parsers == null) {
      parsers = new ArrayList<>();
      for (char delimiter : delimiters) {
        CsvParserSettings settings = new CsvParserSettings();
        settings.getFormat().setDelimiter(delimiter);
        settings.getFormat().setLineSeparator("\n");
        settings.setMaxCharsPerColumn(-1);
        settings.setMaxColumns(4096);
        parsers.add(new CsvParser(settings));
      }
    }
    return parsers;
  }

  private static String unescapeJson(String escaped) {
    try {
      return JSON.readValue("\"" + escaped + "\"", String.class);
    } catch (JsonProcessingException e) {
      return escaped;
    }
  }

  private static void add(Set<String> fields, String value) {
    if (value != null && !value.isBlank()) {
      fields.add(value.trim());
    }
  }

  /** How an id can appear in delivered text: as is, in a CSV field (quotes doubled), in a JSON string. */
  static Set<String> spellings(String id) {
    Set<String> spellings = new LinkedHashSet<>();
    spellings.add(id);
    spellings.add(id.replace("\"", "\"\""));
    try {
      String json = JSON.writeValueAsString(id);
      spellings.add(json.substring(1, json.length() - 1));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // a String always serializes
    }
    return spellings;
  }
}
