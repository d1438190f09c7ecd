package io.geolake.pipeline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geolake.core.rules.RejectReason;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;

/**
 * One JSON object per line. Values are kept as delivered text: numbers as written, strings as is,
 * nested objects as JSON. A field may be mapped to a key inside nested objects by a dotted path
 * ({@code location.lat}) when no top-level key has the whole name. Top-level keys that map to no
 * canonical field go to {@code _extra}, a nested object whole, mapped paths inside it included, so
 * nothing delivered is lost.
 */
final class JsonLineParser implements LineParser {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final DeliveryFile file;
  private final SourceMapping mapping;
  private final Set<String> mapped;
  /** Per canonical field, the dotted path of its delivered name (null without dots). */
  private final String[][] paths;

  JsonLineParser(DeliveryFile file, SourceMapping mapping) {
    this.file = file;
    this.mapping = mapping;
    this.mapped = new java.util.HashSet<>(mapping.deliveredNames());
    this.paths = mapping.deliveredNames().stream().map(n -> n == null ? null : SourceMapping.path(n)).toArray(String[][]::new);
  }

  @Override
  public Row header(String line, long lineNumber) {
    return null;
  }

  @Override
  public Row parse(String line, long lineNumber) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (IOException e) {
      String message = e.getMessage();
      int cut = message == null ? -1 : message.indexOf('\n');
      return ParsedRows.reject(
          file,
          lineNumber,
          RejectReason.MALFORMED_JSON,
          cut > 0 ? message.substring(0, cut) : message,
          line);
    }
    if (node == null || !node.isObject()) {
      return ParsedRows.reject(
          file, lineNumber, RejectReason.MALFORMED_JSON, "expected a JSON object per line", line);
    }
    String[] values = new String[mapping.deliveredNames().size()];
    for (int f = 0; f < values.length; f++) {
      String name = mapping.deliveredNames().get(f);
      values[f] = name == null ? null : text(lookUp(node, name, paths[f]));
    }
    Map<String, String> extra = null;
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!mapped.contains(field.getKey())) {
        if (extra == null) {
          extra = new HashMap<>();
        }
        extra.put(field.getKey(), text(field.getValue()));
      }
    }
    return ParsedRows.parsed(file, lineNumber, values, extra);
  }

  /** The key of that name, else the dotted path's value through nested objects; null when absent. */
  private static JsonNode lookUp(JsonNode object, String name, String[] path) {
    JsonNode value = object.get(name);
    if (value != null || path == null) {
      return value;
    }
    value = object;
    for (String segment : path) {
      if (!value.isObject() || (value = value.get(segment)) == null) {
        return null;
      }
    }
    return value;
  }

  private static String text(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }
}
