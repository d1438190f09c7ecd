package io.geolake.cli.command;

import io.geolake.core.config.ConfigLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code geolake config}: validate and print the effective configuration. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Validate the configuration and print it with every default filled in (secrets masked).")
public final class ConfigCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(ConfigLoader.toYaml(common.load()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
