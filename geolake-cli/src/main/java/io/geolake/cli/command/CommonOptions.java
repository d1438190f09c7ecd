package io.geolake.cli.command;

import io.geolake.core.config.ConfigLoader;
import io.geolake.core.config.GeolakeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every command takes: the data folder, a config file and key overrides. */
public final class CommonOptions {
  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data folder: warehouse, catalog and run records (overrides the config's data); a path or a URI such as s3a://bucket/lake.")
  String data; // text, not a Path: a Path would turn s3a://bucket into s3a:/bucket

  @Option(names = "--config", paramLabel = "FILE", description = "YAML config file; defaults are built in.")
  Path config;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Set any config key, e.g. --set staging.lookback-days=5 (repeatable).")
  List<String> overrides = new ArrayList<>();

  /**
   * The effective config with other defaults for some keys: each {@code key=value} applies only
   * where neither --config nor --set changed the key from its built-in default.
   */
  GeolakeConfig loadWithDefaults(List<String> defaults) {
    GeolakeConfig configured = load();
    GeolakeConfig builtIn = ConfigLoader.defaults();
    List<String> sets = new ArrayList<>();
    for (String entry : defaults) {
      String key = entry.substring(0, entry.indexOf('='));
      if (ConfigLoader.valueAt(builtIn, key).equals(ConfigLoader.valueAt(configured, key))) {
        sets.add(entry);
      }
    }
    return load(sets.toArray(String[]::new));
  }

  /** The effective config: defaults, then --config, then --set, then the explicit options. */
  GeolakeConfig load(String... explicit) {
    List<String> sets = new ArrayList<>(overrides);
    if (data != null) {
      sets.add("data=" + data);
    }
    sets.addAll(List.of(explicit));
    return ConfigLoader.load(config, sets);
  }
}
