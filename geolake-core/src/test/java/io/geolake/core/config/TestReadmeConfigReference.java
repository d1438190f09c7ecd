package io.geolake.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration reference is the defaults file, verbatim from its first key. */
class TestReadmeConfigReference {
  @Test
  void readmeQuotesTheBuiltInDefaults() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    // The reference is the YAML block that starts with the first key's comment; others are examples.
    int start = readme.indexOf("```yaml\n# Data folder") + "```yaml\n".length();
    String quoted = readme.substring(start, readme.indexOf("```", start));
    String defaults;
    try (InputStream in = ConfigLoader.class.getResourceAsStream("geolake-defaults.yaml")) {
      defaults = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String fromFirstKey = defaults.substring(defaults.indexOf("# Data folder"));
    assertThat(quoted).isEqualTo(fromFirstKey);
  }
}
