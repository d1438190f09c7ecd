package io.geolake.infra;

import io.geolake.core.config.ConfigLoader;
import io.geolake.core.config.GeolakeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import software.constructs.Node;

/**
 * Who reads the lake through Lake Formation (Athena, Redshift Spectrum, EMR) and in which of
 * geolake's roles, from CDK context: {@code readers} maps a role of {@code access.roles} to the IAM
 * role or user that acts in it ({@code -c readers=analyst=arn:aws:iam::111122223333:role/Analysts,...},
 * or an object in cdk.json); {@code accessConfig} names a geolake config file whose roles these are
 * (empty means the built-in roles).
 *
 * @param readers role name to the principal's ARN, in the order given
 * @param roles geolake's roles, as its config loader reads them
 */
public record AccessGrantSettings(Map<String, String> readers, List<GeolakeConfig.Role> roles) {
  private static final Pattern PRINCIPAL = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:(role|user)/[\\w+=,.@/-]+");

  public AccessGrantSettings {
    readers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(readers));
    roles = List.copyOf(roles);
    List<String> names = roles.stream().map(GeolakeConfig.Role::name).toList();
    readers.forEach((role, principal) -> {
      check("readers", role + "=" + principal, names.contains(role), "a role of access.roles " + names + " = an IAM role or user ARN");
      check("readers", role + "=" + principal, PRINCIPAL.matcher(principal).matches(),
          "an IAM role or user ARN after the role, such as analyst=arn:aws:iam::111122223333:role/Analysts");
    });
  }

  /** Whether any principal is to be granted anything. */
  public boolean any() {
    return !readers.isEmpty();
  }

  public GeolakeConfig.Role role(String name) {
    return roles.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  /** The settings from the construct tree's context. */
  public static AccessGrantSettings fromContext(Node node) {
    Object accessConfig = node.tryGetContext("accessConfig");
    GeolakeConfig config;
    if (accessConfig == null || accessConfig.toString().isBlank()) {
      config = ConfigLoader.defaults();
    } else {
      Path file = Path.of(accessConfig.toString());
      check("accessConfig", file, Files.isRegularFile(file), "the path of a geolake config file whose access.roles the readers act in");
      config = ConfigLoader.load(file, List.of());
    }
    return new AccessGrantSettings(readers(node.tryGetContext("readers")), config.access().roles());
  }

  private static Map<String, String> readers(Object value) {
    Map<String, String> readers = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach((role, principal) -> readers.put(String.valueOf(role), String.valueOf(principal)));
    } else if (value != null && !value.toString().isBlank()) {
      for (String pair : value.toString().split(",")) {
        int eq = pair.indexOf('=');
        check("readers", pair, eq > 0, "role=principal ARN pairs separated by commas, such as analyst=arn:aws:iam::111122223333:role/Analysts");
        readers.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    return readers;
  }

  private static void check(String key, Object value, boolean valid, String expected) {
    if (!valid) {
      throw new IllegalArgumentException("Invalid CDK context value for '" + key + "': " + value + "; expected " + expected);
    }
  }
}
