package io.geolake.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds a {@link GeolakeConfig} from the built-in defaults, an optional YAML file and {@code
 * --set path=value} overrides, in that order of precedence. Unknown keys and values of the wrong
 * form fail with a {@link ConfigException} naming the key path and the expected form.
 */
public final class ConfigLoader {
  static final String DEFAULTS_RESOURCE = "geolake-defaults.yaml";

  /** Keys whose children are free-form names rather than fixed config keys. */
  private static final Set<String> FREE_MAPS =
      Set.of("spark.conf", "catalog.properties", "sources", "sources.*.fields", "access.oidc.roles", "maintenance.data-retention");

  private static final ObjectMapper YAML =
      new ObjectMapper(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .registerModule(new JavaTimeModule())
          .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);

  private ConfigLoader() {}

  /** The defaults alone. */
  public static GeolakeConfig defaults() {
    return load(null, List.of());
  }

  /**
   * @param file YAML config file, or null for defaults only
   * @param overrides {@code path.to.key=value} pairs; the value is read as YAML (numbers, lists)
   */
  public static GeolakeConfig load(Path file, List<String> overrides) {
    ObjectNode user = file == null ? JsonNodeFactory.instance.objectNode() : readFile(file);
    for (String override : overrides) {
      applyOverride(user, override);
    }
    ObjectNode defaults = defaultsTree();
    checkKnownKeys(user, defaults, "");
    ObjectNode merged = merge(defaults, user);
    GeolakeConfig config = bind(merged);
    ConfigValidator.validate(config);
    return config;
  }

  /** The built-in defaults as a tree (every key that exists). */
  public static ObjectNode defaultsTree() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read built-in " + DEFAULTS_RESOURCE, e);
    }
  }

  /** The value of a dotted key (e.g. model.horizon-days) in a config, as text; empty when absent. */
  public static String valueAt(GeolakeConfig config, String key) {
    JsonNode node = YAML.valueToTree(config);
    for (String part : key.split("\\.")) {
      node = node.path(part);
    }
    return node.isMissingNode() ? "" : node.toString();
  }

  /** The effective configuration as YAML, secrets masked. */
  public static String toYaml(GeolakeConfig config) {
    try {
      ObjectNode tree = YAML.valueToTree(config);
      maskSecrets(tree);
      // A chat webhook's URL is its credential: keep the host, hide the path.
      JsonNode webhook = tree.path("alerts").path("webhook");
      if (webhook instanceof ObjectNode hook && !hook.path("url").asText().isBlank()) {
        hook.put("url", hook.path("url").asText().replaceFirst("^(\\w+://[^/]+).*$", "$1/****"));
      }
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot render config", e);
    }
  }

  private static void maskSecrets(JsonNode node) {
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      List<String> secretKeys = new ArrayList<>();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String key = field.getKey().toLowerCase(java.util.Locale.ROOT);
        if (field.getValue().isValueNode()
            && (key.contains("password") || key.contains("secret") || key.contains("token"))) {
          secretKeys.add(field.getKey());
        } else {
          maskSecrets(field.getValue());
        }
      }
      secretKeys.forEach(k -> object.put(k, "****"));
    } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
      array.forEach(ConfigLoader::maskSecrets);
    }
  }

  private static ObjectNode readFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(
          "Cannot read config file " + file + ": no such file. Pass an existing YAML file to --config.");
    }
    JsonNode tree;
    try {
      tree = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException(
          "Cannot parse config file " + file + " as YAML: " + e.getMessage(), e);
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!tree.isObject()) {
      throw new ConfigException(
          "Invalid config file " + file + ": expected a YAML mapping of keys at the top level");
    }
    return (ObjectNode) tree;
  }

  static void applyOverride(ObjectNode user, String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException(
          "Invalid --set '" + override + "': expected path.to.key=value, e.g. staging.lookback-days=5");
    }
    String path = override.substring(0, eq).trim();
    String raw = override.substring(eq + 1);
    JsonNode value;
    try {
      value = raw.isBlank() ? JsonNodeFactory.instance.textNode("") : YAML.readTree(raw);
    } catch (IOException e) {
      throw new ConfigException("Invalid --set value for '" + path + "': " + raw, e);
    }
    String[] parts = splitPath(path);
    ObjectNode node = user;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      if (!(child instanceof ObjectNode)) {
        child = node.putObject(parts[i]);
      }
      node = (ObjectNode) child;
    }
    node.set(parts[parts.length - 1], value);
  }

  /** Splits a key path; inside spark.conf, catalog.properties and access.oidc.roles the rest is one dotted key. */
  private static String[] splitPath(String path) {
    for (String freeMap : List.of("spark.conf.", "catalog.properties.", "access.oidc.roles.")) {
      if (path.startsWith(freeMap) && path.length() > freeMap.length()) {
        String[] head = freeMap.substring(0, freeMap.length() - 1).split("\\.");
        String[] parts = java.util.Arrays.copyOf(head, head.length + 1);
        parts[head.length] = path.substring(freeMap.length());
        return parts;
      }
    }
    return path.split("\\.");
  }

  private static void checkKnownKeys(JsonNode user, JsonNode defaults, String path) {
    if (!user.isObject() || defaults == null || !defaults.isObject()) {
      return;
    }
    String pattern = path.replaceAll("^sources\\.[^.]+", "sources.*");
    if (FREE_MAPS.contains(pattern)) {
      if (pattern.equals("sources")) {
        JsonNode template = defaults.elements().next();
        user.fields()
            .forEachRemaining(
                e -> checkKnownKeys(e.getValue(), template, path + "." + e.getKey()));
      }
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = user.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String childPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      JsonNode known = defaults.get(field.getKey());
      if (known == null) {
        List<String> keys = new ArrayList<>();
        defaults.fieldNames().forEachRemaining(keys::add);
        throw new ConfigException(
            "Unknown config key '"
                + childPath
                + "'. Known keys"
                + (path.isEmpty() ? "" : " under '" + path + "'")
                + ": "
                + String.join(", ", keys));
      }
      checkKnownKeys(field.getValue(), known, childPath);
    }
  }

  /** Deep merge; a user {@code sources} map replaces the default one, each entry over defaults. */
  private static ObjectNode merge(ObjectNode defaults, ObjectNode user) {
    ObjectNode result = defaults.deepCopy();
    JsonNode userSources = user.get("sources");
    if (userSources instanceof ObjectNode sources) {
      ObjectNode template = (ObjectNode) defaults.get("sources").elements().next();
      ObjectNode merged = JsonNodeFactory.instance.objectNode();
      sources
          .fields()
          .forEachRemaining(
              e ->
                  merged.set(
                      e.getKey(),
                      e.getValue() instanceof ObjectNode entry
                          ? deepMerge(template.deepCopy(), entry)
                          : e.getValue()));
      ObjectNode rest = user.deepCopy();
      rest.remove("sources");
      deepMerge(result, rest);
      result.set("sources", merged);
      return result;
    }
    return deepMerge(result, user);
  }

  private static ObjectNode deepMerge(ObjectNode target, ObjectNode update) {
    update
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode existing = target.get(e.getKey());
              if (existing instanceof ObjectNode existingObject
                  && e.getValue() instanceof ObjectNode updateObject) {
                deepMerge(existingObject, updateObject);
              } else {
                target.set(e.getKey(), e.getValue().deepCopy());
              }
            });
    return target;
  }

  private static GeolakeConfig bind(ObjectNode merged) {
    try {
      return YAML.treeToValue(merged, GeolakeConfig.class);
    } catch (JsonMappingException e) {
      String path =
          e.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."))
              .replace(".[", "[");
      Object found = e instanceof InvalidFormatException invalid ? invalid.getValue() : null;
      Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
      throw new ConfigException(
          "Invalid config value for '"
              + path
              + "'"
              + (found != null ? ": got '" + found + "'" : "")
              + "; expected "
              + expectedForm(target),
          e);
    } catch (JsonProcessingException e) {
      throw new ConfigException("Invalid config: " + e.getOriginalMessage(), e);
    }
  }

  static String expectedForm(Class<?> type) {
    if (type == null) {
      return "a value of the documented form (see geolake config --defaults)";
    }
    if (type == int.class || type == Integer.class || type == long.class) {
      return "a whole number";
    }
    if (type == double.class || type == Double.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == Duration.class) {
      return "an ISO-8601 duration such as PT1H or PT15M";
    }
    if (type == Instant.class) {
      return "an ISO-8601 instant such as 2000-01-01T00:00:00Z";
    }
    if (type == java.time.ZoneId.class) {
      return "an IANA time-zone id such as America/Mexico_City";
    }
    if (type.isEnum()) {
      return "one of "
          + java.util.Arrays.stream(type.getEnumConstants())
              .map(c -> ((Enum<?>) c).name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
              .collect(Collectors.joining(", "));
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list, e.g. [a, b]";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a mapping of keys";
    }
    if (type == String.class) {
      return "a text value";
    }
    return "a " + type.getSimpleName();
  }
}
