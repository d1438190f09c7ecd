package io.geolake.cli.command;

import io.geolake.cli.output.ModelPrinter;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.model.ModelRegistry;
import io.geolake.pipeline.model.ModelVersion;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geolake models}: the registered versions of model X and which one is live. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = "List the registered versions of model X; * marks the live one.",
    subcommands = PromoteCommand.class)
public final class ModelsCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--history", description = "Also list every change of the live version: when, from which version, by whom and why.")
  boolean history;

  @Override
  public Integer call() {
    GeolakeConfig config = common.load();
    ModelRegistry registry = new ModelRegistry(Lakehouse.open(config).spark(), config);
    PrintWriter out = spec.commandLine().getOut();
    var versions = registry.versions();
    if (versions.isEmpty()) {
      out.printf("No versions of model X in %s yet. Train one: geolake train --as-of YYYY-MM-DD%n", registry.location());
    } else {
      ModelPrinter.versions(versions, registry.live().map(ModelVersion::version).orElse(""), registry::revertedRunsLearnedFrom, out);
      var changes = registry.liveHistory();
      if (history) {
        ModelPrinter.liveHistory(changes, out);
      } else if (!changes.isEmpty()) {
        ModelPrinter.liveSince(changes.get(changes.size() - 1), out);
      }
    }
    out.flush();
    return 0;
  }
}
