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
 * nested objects as JSON. Keys that map to no canonical field go to {@code _extra}.
 */
final class JsonLineParser implements LineParser {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final DeliveryFile file;
  private final SourceMapping mapping;
  private final Set<String> mapped;

  JsonLineParser(DeliveryFile file, SourceMapping mapping) {
    this.file = file;
    this.mapping = mapping;
    this.mapped = new java.util.HashSet<>(mapping.deliveredNames());
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
      values[f] = name == null ? null : text(node.get(name));
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

  private static String text(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    return value.isValueNode() ? value.asText() : value.toString();
  }
}
